/**
 * Per-socket write batching: frames queued for a socket during one event-loop turn are
 * written together (cork/uncork → one writev) in a single setImmediate for the whole
 * process, so a busy socket costs one syscall per turn and no socket owns a timer.
 */

export interface BatchedWriter {
  flushPending(): void;
}

let dirty: BatchedWriter[] = [];
let spare: BatchedWriter[] = [];
let scheduled = false;

function flushAll(): void {
  scheduled = false;
  const batch = dirty;
  dirty = spare;
  for (let i = 0; i < batch.length; i++) batch[i]!.flushPending();
  batch.length = 0;
  spare = batch;
}

/** Call once per writer per turn: the writer is flushed in this turn's check phase. */
export function scheduleFlush(writer: BatchedWriter): void {
  dirty.push(writer);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flushAll);
  }
}
