/**
 * Where generated code is written: statements in order, fresh local names, the field reads each
 * open block has made (so a later read in scope can reuse one), and the constants every generated
 * function of a module shares (builtins, registered functions, key lists), each declared once at
 * module level.
 */
export class Unsupported extends Error {}

export class ConstantPool {
  private readonly names = new Map<string, string>()

  /** The module-level name of the constant with initializer `code`. */
  name(code: string): string {
    let name = this.names.get(code)
    if (!name) {
      name = `K${this.names.size}`
      this.names.set(code, name)
    }
    return name
  }

  declarations(): string[] {
    return [...this.names].map(([code, name]) => `const ${name} = ${code}`)
  }
}

export class Emitter {
  private readonly lines: string[] = []
  private depth = 1
  /** Per open block, values already read into a const: what was read (a key) → its local. */
  private readonly reads: Map<string, string>[] = [new Map()]
  /**
   * Per open block, the variable locals known to hold a value through jsonata's epilogue here
   * (see noteFinished); a nested function starts with those of the point it is written at.
   */
  private readonly finished: Set<string>[] = [new Set()]

  constructor(private readonly counter: { n: number }) {}

  /** A fresh local name. */
  local(base = 't'): string {
    return `${base}${++this.counter.n}`
  }

  line(text: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}${text}`)
  }

  /** `head {`, the body, `}`. */
  block(head: string, body: () => void): void {
    this.line(`${head} {`)
    this.depth++
    this.reads.push(new Map())
    this.finished.push(new Set())
    body()
    this.finished.pop()
    this.reads.pop()
    this.depth--
    this.line('}')
  }

  /** The const local `key` was read into earlier in this block or one around it, if any. */
  readBefore(key: string): string | undefined {
    for (let i = this.reads.length - 1; i >= 0; i--) {
      const local = this.reads[i].get(key)
      if (local) return local
    }
    return undefined
  }

  /** Notes that `key` was read into the const `local` here (visible until this block closes). */
  noteRead(key: string, local: string): void {
    this.reads[this.reads.length - 1].set(key, local)
  }

  /**
   * Notes that the variable local `local` now holds a value through jsonata's epilogue, on every
   * path to what is written next in this block. Every later write of a variable is such a value
   * too (a binding's, Generator.node's), so it stays one for as long as the local lives: in a loop,
   * a later iteration, in a function written here, whenever it is called.
   */
  noteFinished(local: string): void {
    this.finished[this.finished.length - 1].add(local)
  }

  /** Whether `local` was noted finished on every path to here (see noteFinished). */
  isFinished(local: string): boolean {
    return this.finished.some((set) => set.has(local))
  }

  /** A nested function body, written by `body` into its own emitter (sharing local names). */
  nested(body: (e: Emitter) => void): string {
    const inner = new Emitter(this.counter)
    inner.depth = this.depth + 1
    for (const set of this.finished) for (const local of set) inner.noteFinished(local)
    body(inner)
    return `{\n${inner.lines.join('\n')}\n${'  '.repeat(this.depth)}}`
  }

  text(): string {
    return this.lines.join('\n')
  }
}
