// A typed array that grows as values are pushed, doubling its room: what the ranking index's build (build.ts) counts
// its postings into. Plain `number[]` lists of every posting took the V8 heap to the size of the whole index, and V8
// keeps the heap it grew for the life of the process (at a hundred times the Paste corpus, half a gigabyte a restarted
// server never holds); a typed array's memory is outside the heap and is given back when the array is dropped.

type TNumberArray = Int32Array | Uint8Array | Uint32Array | Float32Array;
type TNumberArrayOf<T extends TNumberArray> = T extends Int32Array ? Int32Array : T extends Uint8Array ? Uint8Array : T extends Uint32Array ? Uint32Array : Float32Array;

/** The room a growable array starts with unless told: small, since a build makes a few dozen of them. */
const INITIAL_ROOM = 1024;

export class Growable<T extends TNumberArray> {
  /** The values pushed so far are `values[0 … length)`; past `length` is room. */
  values: T;
  length = 0;
  private readonly make: (length: number) => T;

  constructor(make: (length: number) => T, room = INITIAL_ROOM) {
    this.make = make;
    this.values = make(Math.max(1, room));
  }

  /** Room for `extra` more values: doubles (at least) when full, copying what is there. */
  reserve(extra: number): void {
    const needed = this.length + extra;
    if (needed <= this.values.length) return;
    const next = this.make(Math.max(needed, this.values.length * 2));
    next.set(this.values.subarray(0, this.length) as never);
    this.values = next;
  }

  push(value: number): void {
    if (this.length === this.values.length) this.reserve(1);
    this.values[this.length] = value;
    this.length += 1;
  }

  /** A copy of the values pushed, exactly as long (the room is not kept). */
  toArray(): TNumberArrayOf<T> {
    return this.values.slice(0, this.length) as TNumberArrayOf<T>;
  }
}

export const growableInt32 = (room?: number) => new Growable((length) => new Int32Array(length), room);
export const growableUint32 = (room?: number) => new Growable((length) => new Uint32Array(length), room);
export const growableUint8 = (room?: number) => new Growable((length) => new Uint8Array(length), room);
export const growableFloat32 = (room?: number) => new Growable((length) => new Float32Array(length), room);
