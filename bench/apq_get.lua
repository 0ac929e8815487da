-- wrk script: the matches query of matches.lua sent as an automatic
-- persisted query over GET (hash only; register it first, see BENCHMARKS.md).
-- usage: HASH=<sha256> N=60000 wrk -t2 -c4 -d20s --latency -s bench/apq_get.lua http://127.0.0.1:8091
package.path = "./bench/?.lua;" .. package.path
local base64url = require("base64url")

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local n = tonumber(os.getenv("N") or "60000")
local ext = urlencode('{"persistedQuery":{"version":1,"sha256Hash":"' .. os.getenv("HASH") .. '"}}')

request = function()
  local vars = urlencode('{"id":"' .. base64url("Enterprise:" .. math.random(1, n)) .. '"}')
  return wrk.format("GET", "/graphql?extensions=" .. ext .. "&variables=" .. vars)
end
