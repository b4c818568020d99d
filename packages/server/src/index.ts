// The server package's public API (for tests, embedding, and the bench).
export {};
