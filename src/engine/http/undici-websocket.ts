/** Node's WebSocket client for custom protocols: undici's (Node 20 has no global WebSocket). */
import { WebSocket } from 'undici'
import type { WebSocketFactory, WebSocketLike } from './websocket'

export const undiciWebSocket: WebSocketFactory = (url) => new WebSocket(url) as unknown as WebSocketLike
