-- wrk script: the matches query of matches.lua sent as an automatic
-- persisted query over GET (hash only; register it first, see BENCHMARKS.md).
-- usage: HASH=<sha256> N=60000 wrk -t2 -c4 -d20s --latency -s bench/apq_get.lua http://127.0.0.1:8091
local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local function base64url(s)
  return ((s:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return b64:sub(c + 1, c + 1)
  end))
end
local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local n = tonumber(os.getenv("N") or "60000")
local ext = urlencode('{"persistedQuery":{"version":1,"sha256Hash":"' .. os.getenv("HASH") .. '"}}')

request = function()
  local vars = urlencode('{"id":"' .. base64url("Enterprise:" .. math.random(1, n)) .. '"}')
  return wrk.format("GET", "/graphql?extensions=" .. ext .. "&variables=" .. vars)
end
