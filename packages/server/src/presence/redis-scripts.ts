/**
 * Lua scripts of RedisPresence. Every script works on ONE topic, whose keys share the
 * hash tag `{topic}` (one cluster slot), so each call is atomic and cheap:
 *
 *   KEYS[1] I  sorted set  instance id -> expiry (ms, Redis server clock)
 *   KEYS[2] U  hash        user id -> live connections of the user on the topic
 *   KEYS[3] N  hash        user id -> user name
 *   KEYS[4] C  hash        connection id -> user id, for the calling instance
 *   KEYS[5] D  list        departures: userId, userName pairs of users whose last
 *                          connection vanished with an expired (or dropped) instance
 *   ARGV[1]    prefix of the per-instance connection hashes (`<prefix>..<instance>` = C)
 *
 * Every script first drops the entries of instances whose expiry has passed (a crashed
 * instance stops refreshing), so no query ever counts them. A user whose count reaches
 * zero that way is pushed onto D; the heartbeat (REFRESH) of a live instance pops D whole
 * and returns it, so exactly one instance reports each departure. All keys of a topic
 * share one PEXPIRE, refreshed together, so an abandoned topic disappears as a whole.
 */
import { LuaScript } from '../layer/redis-connection.js';

const PRELUDE = `
local I, U, N, D = KEYS[1], KEYS[2], KEYS[3], KEYS[5]
local connPrefix = ARGV[1]
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

local function dropInstance(instance)
  local C = connPrefix .. instance
  local entries = redis.call('HGETALL', C)
  -- D shares the topic's expiry; U exists whenever C holds entries.
  local keep = redis.call('PTTL', U)
  local departed = false
  for i = 2, #entries, 2 do
    local user = entries[i]
    if redis.call('HINCRBY', U, user, -1) <= 0 then
      redis.call('RPUSH', D, user, redis.call('HGET', N, user) or '')
      departed = true
      redis.call('HDEL', U, user)
      redis.call('HDEL', N, user)
    end
  end
  if departed and keep > 0 then redis.call('PEXPIRE', D, keep) end
  redis.call('DEL', C)
  redis.call('ZREM', I, instance)
end

local expired = redis.call('ZRANGEBYSCORE', I, '-inf', now)
for _, instance in ipairs(expired) do dropInstance(instance) end

local function touch(keepMs)
  redis.call('PEXPIRE', I, keepMs)
  redis.call('PEXPIRE', U, keepMs)
  redis.call('PEXPIRE', N, keepMs)
  redis.call('PEXPIRE', D, keepMs)
  for _, instance in ipairs(redis.call('ZRANGE', I, 0, -1)) do
    redis.call('PEXPIRE', connPrefix .. instance, keepMs)
  end
end

-- Adds one connection; returns 1 when it is the user's first on the topic.
local function addConnection(C, conn, user, name)
  if redis.call('HSETNX', C, conn, user) == 0 then return 0 end
  redis.call('HSET', N, user, name)
  if redis.call('HINCRBY', U, user, 1) == 1 then return 1 end
  return 0
end
`;

/**
 * ARGV: prefix, instance, ttlMs, keepMs, connectionId, userId, userName.
 * Returns { changed, instanceWasMissing }: the caller re-registers its other connections
 * on this topic when its instance had been expired (a stall longer than the TTL).
 */
export const JOIN = new LuaScript(`${PRELUDE}
local instance, ttl, keep = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local missing = redis.call('ZADD', I, now + ttl, instance)
local changed = addConnection(KEYS[4], ARGV[5], ARGV[6], ARGV[7])
touch(keep)
return { changed, missing }
`);

/** ARGV: prefix, instance, connectionId, userId. Returns 1 when it was the user's last connection. */
export const LEAVE = new LuaScript(`${PRELUDE}
local C, user = KEYS[4], ARGV[4]
if redis.call('HGET', C, ARGV[3]) ~= user then return 0 end
redis.call('HDEL', C, ARGV[3])
local changed = 0
if redis.call('HINCRBY', U, user, -1) <= 0 then
  redis.call('HDEL', U, user)
  redis.call('HDEL', N, user)
  changed = 1
end
if redis.call('EXISTS', C) == 0 then redis.call('ZREM', I, ARGV[2]) end
return changed
`);

/**
 * The heartbeat of one topic. ARGV: prefix, instance, ttlMs, keepMs, then optional
 * (connectionId, userId, userName) triples to (re-)register. Returns { missing, departed }:
 * missing is 1 when the instance was missing (expired): the caller then calls again with
 * all its connections. departed is the popped departures list, flat [userId, userName, ...],
 * each user once and only if still absent (one who came back meanwhile did not leave).
 */
export const REFRESH = new LuaScript(`${PRELUDE}
local instance, ttl, keep = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local missing = redis.call('ZADD', I, now + ttl, instance)
for i = 5, #ARGV, 3 do addConnection(KEYS[4], ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
touch(keep)
local departed, seen = {}, {}
local popped = redis.call('LRANGE', D, 0, -1)
if #popped > 0 then
  redis.call('DEL', D)
  for i = 1, #popped - 1, 2 do
    local user = popped[i]
    if not seen[user] and redis.call('HEXISTS', U, user) == 0 then
      seen[user] = true
      departed[#departed + 1] = user
      departed[#departed + 1] = popped[i + 1]
    end
  end
end
return { missing, departed }
`);

/**
 * Makes the calling instance's entries on the topic exactly the given connections; run
 * after Redis (re)connected, since a leave that failed meanwhile (or a snapshot restored
 * by a restarted Redis) can leave entries of closed connections behind, which the
 * heartbeat alone would keep alive. ARGV: prefix, instance, ttlMs, keepMs, then
 * (connectionId, userId, userName) triples. Returns 1 when the instance was missing.
 */
export const RECONCILE = new LuaScript(`${PRELUDE}
local instance, ttl, keep = ARGV[2], tonumber(ARGV[3]), ARGV[4]
local C = KEYS[4]
local missing = redis.call('ZADD', I, now + ttl, instance)
local live = {}
for i = 5, #ARGV, 3 do live[ARGV[i]] = ARGV[i + 1] end
local entries = redis.call('HGETALL', C)
for i = 1, #entries, 2 do
  local conn, user = entries[i], entries[i + 1]
  if live[conn] ~= user then
    redis.call('HDEL', C, conn)
    if redis.call('HINCRBY', U, user, -1) <= 0 then
      redis.call('HDEL', U, user)
      redis.call('HDEL', N, user)
    end
  end
end
for i = 5, #ARGV, 3 do addConnection(C, ARGV[i], ARGV[i + 1], ARGV[i + 2]) end
touch(keep)
return missing
`);

/** Removes every entry of the calling instance on the topic (graceful shutdown). ARGV: prefix, instance. */
export const DROP = new LuaScript(`${PRELUDE}
dropInstance(ARGV[2])
return 1
`);

/**
 * Read queries. ARGV: prefix, mode, then:
 *   'users'                 -> number of distinct users
 *   'connections'           -> number of connections (all live instances)
 *   'user', userId          -> connections of that user
 *   'filter', userId...     -> array aligned with the ids: count or false
 *   'members', limit        -> flat [userId, userName, ...], at most limit users (-1: all)
 */
export const QUERY = new LuaScript(`${PRELUDE}
local mode = ARGV[2]
if mode == 'users' then return redis.call('HLEN', U) end
if mode == 'connections' then
  local total = 0
  for _, instance in ipairs(redis.call('ZRANGE', I, 0, -1)) do
    total = total + redis.call('HLEN', connPrefix .. instance)
  end
  return total
end
if mode == 'user' then return tonumber(redis.call('HGET', U, ARGV[3]) or 0) end
if mode == 'filter' then return redis.call('HMGET', U, unpack(ARGV, 3)) end
local limit = tonumber(ARGV[3])
if limit < 0 then return redis.call('HGETALL', N) end
local out, seen, cursor = {}, {}, '0'
repeat
  local page = redis.call('HSCAN', N, cursor, 'COUNT', math.max(limit, 16))
  cursor = page[1]
  local fields = page[2]
  for i = 1, #fields, 2 do
    if #out >= limit * 2 then return out end
    if not seen[fields[i]] then
      seen[fields[i]] = true
      out[#out + 1] = fields[i]
      out[#out + 1] = fields[i + 1]
    end
  end
until cursor == '0'
return out
`);
