import { describe, expect, it } from 'vitest';
import { DocumentStore } from '../src/stores/document-store.js';

const state = (content: string, version: number, ref?: string) => ({
  type: 'document_state',
  data: { content, version, users: [{ user_id: 'me', user_name: 'Me' }] },
  ...(ref ? { ref } : {}),
});
const updated = (content: string, version: number, ref?: string) => ({
  type: 'document_updated',
  data: { content, version, user_id: 'other' },
  ...(ref ? { ref } : {}),
});
const ack = (version: number, ref: string) => ({ type: 'update_ack', data: { version }, ref });

/** Edits, takes the update the store hands out, and tags it with `ref`. */
function editAndSend(store: DocumentStore, content: string, ref: string) {
  store.edit(content);
  const update = store.takeUpdate();
  if (update) store.sent(ref);
  return update;
}

describe('DocumentStore', () => {
  it('loads, sends one update at a time based on the confirmed version, and batches edits made meanwhile', () => {
    const store = new DocumentStore('me');
    expect(store.takeUpdate()).toBeUndefined();
    store.receive(state('Hello', 1));
    expect(store.getSnapshot()).toMatchObject({ loaded: true, content: 'Hello', version: 1, saving: false });
    expect(editAndSend(store, 'Hello,', 'u1')).toEqual({ content: 'Hello,', version: 1 });
    store.edit('Hello, w');
    store.edit('Hello, world');
    expect(store.takeUpdate()).toBeUndefined();
    expect(store.getSnapshot()).toMatchObject({ content: 'Hello, world', saving: true });
    store.receive(ack(2, 'u1'));
    expect(store.getSnapshot().version).toBe(2);
    expect(store.takeUpdate()).toEqual({ content: 'Hello, world', version: 2 });
    store.sent('u2');
    store.receive(ack(3, 'u2'));
    expect(store.getSnapshot()).toMatchObject({ content: 'Hello, world', version: 3, saving: false });
    expect(store.takeUpdate()).toBeUndefined();
  });

  it("adopts others' changes and rebases unsent local edits onto them", () => {
    const store = new DocumentStore('me');
    store.receive(state('line one\nline two', 1));
    store.receive(updated('line one\nline two\nline three', 2));
    expect(store.getSnapshot()).toMatchObject({ content: 'line one\nline two\nline three', version: 2, saving: false });
    store.edit('LINE one\nline two\nline three');
    store.receive(updated('line one\nline two\nline three!', 3));
    expect(store.getSnapshot().content).toBe('LINE one\nline two\nline three!');
    expect(store.takeUpdate()).toEqual({ content: 'LINE one\nline two\nline three!', version: 3 });
    // Stale or repeated versions are ignored.
    store.receive(updated('old', 2));
    expect(store.getSnapshot().content).toBe('LINE one\nline two\nline three!');
  });

  it('takes the server merge of an update that was based on an old version, keeping what was typed since', () => {
    const store = new DocumentStore('me');
    store.receive(state('a\n\nb', 1));
    editAndSend(store, 'a1\n\nb', 'u1');
    // Someone else's edit committed first: held until ours is settled.
    store.receive(updated('a\n\nb2', 2));
    expect(store.getSnapshot().content).toBe('a1\n\nb');
    store.edit('a12\n\nb');
    // The merge comes back to the sender, then the ack.
    store.receive(updated('a1\n\nb2', 3, 'u1'));
    expect(store.getSnapshot().content).toBe('a12\n\nb2');
    store.receive(ack(3, 'u1'));
    expect(store.getSnapshot().version).toBe(3);
    expect(store.takeUpdate()).toEqual({ content: 'a12\n\nb2', version: 3 });
  });

  it('applies a change that arrives before the ack of our own, later version', () => {
    const store = new DocumentStore('me');
    store.receive(state('x', 1));
    editAndSend(store, 'xy', 'u1');
    store.receive(updated('xyz', 3));
    store.receive(ack(2, 'u1'));
    expect(store.getSnapshot()).toMatchObject({ content: 'xyz', version: 3, saving: false });
  });

  it('rebases a refused conflict at character level and sends it again based on the current version', () => {
    const store = new DocumentStore('me');
    store.receive(state('the cat sat', 1));
    editAndSend(store, 'the black cat sat', 'u1');
    // The same line changed elsewhere: the server's line merge refuses, then sends the current state.
    store.receive({ type: 'error', code: 'conflict', message: 'the edit conflicts', ref: 'u1' });
    store.receive(state('the cat sat down', 2, 'u1'));
    expect(store.getSnapshot()).toMatchObject({ content: 'the black cat sat down', version: 2 });
    expect(store.getSnapshot().rejected).toBeUndefined();
    expect(store.takeUpdate()).toEqual({ content: 'the black cat sat down', version: 2 });
  });

  it('reports an edit that cannot be rebased, keeping its text, and adopts the server text', () => {
    const store = new DocumentStore('me');
    store.receive(state('the cat sat', 1));
    editAndSend(store, 'the dog sat', 'u1');
    store.receive({ type: 'error', code: 'conflict', message: 'the edit conflicts', ref: 'u1' });
    store.receive(state('the bird sat', 2, 'u1'));
    expect(store.getSnapshot()).toMatchObject({ content: 'the bird sat', version: 2, rejected: { content: 'the dog sat', message: 'the edit conflicts' } });
    expect(store.takeUpdate()).toBeUndefined();
    store.dismissRejected();
    expect(store.getSnapshot().rejected).toBeUndefined();
  });

  it('reverts an update refused as too large and does not send it again', () => {
    const store = new DocumentStore('me');
    store.receive(state('small', 1));
    editAndSend(store, 'huge', 'u1');
    store.receive({ type: 'error', code: 'too_large', message: 'content is too large', ref: 'u1' });
    expect(store.getSnapshot()).toMatchObject({ content: 'small', saving: false, rejected: { content: 'huge' } });
    expect(store.takeUpdate()).toBeUndefined();
  });

  it('after a reconnect, recognises an update that was stored before the drop', () => {
    const store = new DocumentStore('me');
    store.receive(state('one', 1));
    editAndSend(store, 'one two', 'u1');
    store.edit('one two three');
    store.connectionLost();
    store.receive(state('one two', 2));
    expect(store.getSnapshot()).toMatchObject({ content: 'one two three', version: 2 });
    expect(store.takeUpdate()).toEqual({ content: 'one two three', version: 2 });
  });

  it('after a reconnect, rebases an update that was lost with the connection', () => {
    const store = new DocumentStore('me');
    store.receive(state('one', 1));
    editAndSend(store, 'one two', 'u1');
    store.connectionLost();
    store.receive(state('zero one', 2));
    expect(store.getSnapshot()).toMatchObject({ content: 'zero one two', version: 2 });
  });

  it('settles an update that got no answer with the next document_state, then sends it again', () => {
    const store = new DocumentStore('me');
    store.receive(state('one', 1));
    editAndSend(store, 'one two', 'u1');
    expect(store.unanswered('u2')).toBe(false);
    expect(store.unanswered('u1')).toBe(true);
    expect(store.awaitingState).toBe(true);
    store.edit('one two three');
    // The reply to `join`: the dropped update was never stored, someone else's edit was.
    store.receive(state('zero one', 2, 'j1'));
    expect(store.awaitingState).toBe(false);
    expect(store.getSnapshot()).toMatchObject({ content: 'zero one two three', version: 2, saving: true });
    expect(store.takeUpdate()).toEqual({ content: 'zero one two three', version: 2 });
  });

  it('does not treat an update as unanswered once the server merged it', () => {
    const store = new DocumentStore('me');
    store.receive(state('a', 1));
    editAndSend(store, 'ab', 'u1');
    store.receive(updated('xab', 3, 'u1'));
    expect(store.unanswered('u1')).toBe(false);
    expect(store.awaitingState).toBe(false);
  });

  it('tracks users as a set and the cursors of others', () => {
    const store = new DocumentStore('me');
    store.receive(state('', 1));
    store.receive({ type: 'user_joined', data: { user_id: 'bob', user_name: 'Bob' } });
    store.receive({ type: 'user_joined', data: { user_id: 'bob', user_name: 'Bob' } });
    store.receive({ type: 'cursor_moved', data: { user_id: 'bob', user_name: 'Bob', position: { index: 3 } } });
    store.receive({ type: 'cursor_moved', data: { user_id: 'me', user_name: 'Me', position: { index: 1 } } });
    expect(store.getSnapshot().users.map((user) => user.user_id)).toEqual(['me', 'bob']);
    expect(Object.keys(store.getSnapshot().cursors)).toEqual(['bob']);
    // Index cursors move with the text.
    store.edit('>> ');
    expect(store.getSnapshot().cursors.bob?.position).toEqual({ index: 6 });
    store.receive({ type: 'user_left', data: { user_id: 'bob' } });
    expect(store.getSnapshot().users.map((user) => user.user_id)).toEqual(['me']);
    expect(store.getSnapshot().cursors).toEqual({});
  });
});
