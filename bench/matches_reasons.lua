-- wrk script: an enterprise's ten best matches with their scores, reasons
-- and resources, for random enterprises (issue 16's query).
-- usage: N=60000 wrk -t2 -c8 -d20s --latency -s bench/matches_reasons.lua http://127.0.0.1:8091/graphql
-- N (env) is the number of enterprises in the store (default 60000);
-- TOKEN (env), when set, is sent as the bearer token.
package.path = "./bench/?.lua;" .. package.path
local base64url = require("base64url")
local n = require("post")()

request = function()
  local id = base64url("Enterprise:" .. math.random(1, n))
  local body = '{"query":"query($id: ID!) { node(id: $id) { ... on Enterprise { matches(first: 10) { score eligible reasons { factor contribution } resource { __typename } } } } }","variables":{"id":"' .. id .. '"}}'
  return wrk.format(nil, nil, nil, body)
end
