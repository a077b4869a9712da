import { expect } from 'vitest';

// Kept apart from server.ts: that one is also loaded by a plain Node child process (the restart test),
// where vitest cannot be imported.
/** The error contract: the status, `{error: {code, message}}` and nothing else, never a stack trace. */
export function expectError(response: { status: number; body: any }, status: number, code: string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toEqual({ error: { code, message: expect.any(String) } });
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+/);
}
