// A set of non-zero uint32 ids in one typed array (open addressing, linear probing, grows at half
// full): 8 bytes per member at most, no per-member objects. Used to find duplicate content by id.
export class IdSet {
  private keys = new Uint32Array(1024);
  private mask = 1023;
  private n = 0;

  get size(): number {
    return this.n;
  }

  has(id: number): boolean {
    let i = Math.imul(id, 0x9e3779b1) & this.mask;
    for (;;) {
      const k = this.keys[i];
      if (k === id) return true;
      if (k === 0) return false;
      i = (i + 1) & this.mask;
    }
  }

  /** Add `id` (never 0); true if it was not there. */
  add(id: number): boolean {
    if (2 * (this.n + 1) > this.keys.length) this.grow();
    let i = Math.imul(id, 0x9e3779b1) & this.mask;
    for (;;) {
      const k = this.keys[i];
      if (k === id) return false;
      if (k === 0) {
        this.keys[i] = id;
        this.n++;
        return true;
      }
      i = (i + 1) & this.mask;
    }
  }

  private grow(): void {
    const old = this.keys;
    this.keys = new Uint32Array(old.length * 2);
    this.mask = this.keys.length - 1;
    this.n = 0;
    for (let k = 0; k < old.length; k++) if (old[k] !== 0) this.add(old[k]);
  }
}
