/**
 * Runs the real CLI on a pseudo-terminal (python3's pty module, present wherever node-gyp
 * builds better-sqlite3), the way a person runs it: stdin, stdout and stderr are a TTY. Scripted
 * keystrokes are typed once the expected text appears. Returns everything the terminal showed.
 */
import { spawn } from 'node:child_process'
import { BIN, ROOT } from './cli'

const DRIVER = String.raw`
import json, os, pty, select, sys
argv = json.loads(sys.argv[1])
script = json.loads(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b''
searched = 0
while True:
    ready, _, _ = select.select([fd], [], [], 60)
    if not ready:
        break
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
    while script:
        at = out.find(script[0][0].encode(), searched)
        if at < 0:
            break
        searched = at + len(script[0][0])
        os.write(fd, script.pop(0)[1].encode())
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.stdout.flush()
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
`

export interface TerminalResult {
  code: number | null
  /** stdout and stderr as the terminal showed them (\r\n line ends). */
  screen: string
}

/** `keys`: [text to wait for, what to type then] pairs, in order. */
export function runOnTerminal(args: string[], env: Record<string, string>, keys: Array<[string, string]> = []): Promise<TerminalResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-c', DRIVER, JSON.stringify([process.execPath, BIN, ...args]), JSON.stringify(keys)], {
      env,
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let screen = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => (screen += d))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, screen }))
  })
}
