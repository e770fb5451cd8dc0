-- Sign-in throttling counters shared by every web server (lib/auth/login-throttle.ts). The layout
-- is rate-limiter-flexible's RateLimiterPostgres table, created here (not by the library at run
-- time) so the web server's database role needs no CREATE right and servers never race on it.
-- Not in schema.prisma: only that library reads and writes it.
CREATE TABLE "LoginThrottle" (
  key varchar(255) PRIMARY KEY,
  points integer NOT NULL DEFAULT 0,
  expire bigint
);
