-- wrk script: a page of 20 enterprises with their private fields, at a
-- random position in the list.
-- usage: N=60000 TOKEN=… wrk -t2 -c4 -d20s --latency -s bench/enterprises.lua http://127.0.0.1:8091/graphql
-- N (env) is the number of enterprises (default 60000); TOKEN (env), when
-- set, is sent as the bearer token.
package.path = "./bench/?.lua;" .. package.path
local base64url = require("base64url")
local n = require("post")()

request = function()
  local after = base64url("c" .. tostring(math.random(0, n - 20)))
  local body = '{"query":"query($after: Cursor) { enterprises(first: 20, after: $after) { edges { node { name city innovationScore { total grade } reports { year revenue rdExpense } financingNeed { kind amount } } } } }","variables":{"after":"' .. after .. '"}}'
  return wrk.format(nil, nil, nil, body)
end
