-- wrk script: Enterprise.matches(first: 10) for random enterprises.
-- usage: wrk -t2 -c16 -d20s --latency -s bench/matches.lua http://127.0.0.1:8090/graphql
-- N (env) is the number of enterprises in the store (default 60000);
-- TOKEN (env), when set, is sent as the bearer token.
package.path = "./bench/?.lua;" .. package.path
local base64url = require("base64url")
local n = require("post")()

request = function()
  local id = base64url("Enterprise:" .. math.random(1, n))
  local body = '{"query":"query($id: ID!) { node(id: $id) { ... on Enterprise { name matches(first: 10) { score eligible suggestedAmount reasons { factor contribution message } } } } }","variables":{"id":"' .. id .. '"}}'
  return wrk.format(nil, nil, nil, body)
end
