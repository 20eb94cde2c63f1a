-- Token buckets of RedisRateLimiter, decided in one atomic step (Redis runs a script alone), so a decision on
-- several buckets takes from all of them or from none, for every replica alike.
-- KEYS: the buckets. ARGV[1]: consume | refund | charge; ARGV[2]: tokens; then per bucket its capacity and its
-- period in microseconds. A bucket is a hash {level, at}: the tokens it held at microsecond "at" of Redis' own
-- clock (one clock for every replica); it refills evenly to its capacity, and a missing bucket is full.
-- consume takes the tokens from every bucket if each has them, else changes nothing; refund adds (up to the
-- capacity); charge takes whether or not they are there (the level may go below zero: a debt).
-- Returns "1" (done) or "0" (refused), then each bucket's level afterwards.
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000000 + tonumber(now_parts[2])
local mode = ARGV[1]
local tokens = tonumber(ARGV[2])
local levels = {}
local done = 1
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[1 + 2 * i])
  local period = tonumber(ARGV[2 + 2 * i])
  local state = redis.call('HMGET', key, 'level', 'at')
  local level = capacity
  if state[1] and state[2] then
    local elapsed = math.max(0, now - tonumber(state[2]))
    level = math.min(capacity, tonumber(state[1]) + elapsed * capacity / period)
  end
  levels[i] = level
  if mode == 'consume' and level < tokens then
    done = 0
  end
end
local result = { tostring(done) }
for i, key in ipairs(KEYS) do
  local capacity = tonumber(ARGV[1 + 2 * i])
  local period = tonumber(ARGV[2 + 2 * i])
  local level = levels[i]
  if done == 1 then
    if mode == 'refund' then
      level = math.min(capacity, level + tokens)
    else
      level = level - tokens
    end
    redis.call('HSET', key, 'level', string.format('%.17g', level), 'at', string.format('%d', now))
    -- Kept until it would be full again, and a minute more.
    redis.call('PEXPIRE', key, math.ceil((capacity - level) * period / capacity / 1000) + 60000)
  end
  result[i + 1] = string.format('%.17g', level)
end
return result
