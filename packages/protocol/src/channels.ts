/** See PROTOCOL.md §2. */
export {};
