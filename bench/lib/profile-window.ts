/**
 * The child side of profileChildDuring (profile.ts): IPC `{type:'profile-start'}` /
 * `{type:'profile-stop', path}` record a V8 CPU profile of just that window (the data
 * `node --cpu-prof` writes, without the start-up) into `path`. Used by the gateway and reference
 * children, so both are profiled the same way.
 */
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'

/** Handles one IPC message if it is a profile request; false for any other message. */
export function profileWindow(): (msg: { type: string; path?: string }) => Promise<boolean> {
  let session: Session | undefined
  return async (msg) => {
    try {
      if (msg.type === 'profile-start') {
        session = new Session()
        session.connect()
        await session.post('Profiler.enable')
        await session.post('Profiler.setSamplingInterval', { interval: 200 })
        await session.post('Profiler.start')
        process.send!({ type: 'profile-started' })
        return true
      }
      if (msg.type === 'profile-stop' && session && msg.path) {
        const { profile } = await session.post('Profiler.stop')
        session.disconnect()
        session = undefined
        writeFileSync(msg.path, JSON.stringify(profile))
        process.send!({ type: 'profile-stopped' })
        return true
      }
    } catch (err) {
      process.send!({ type: 'profile-error', error: (err as Error).message })
      return true
    }
    return false
  }
}
