/** GET /api/health — answers once the function can run; the local stack answers only when up. */
export const handler = async () => ({
  statusCode: 200,
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ ok: true }),
});
