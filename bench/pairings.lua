-- wrk script: one filtered page of the pairings index, varying the filter.
-- usage: wrk -t2 -c4 -d20s --latency -s bench/pairings.lua http://127.0.0.1:8090/graphql
local cities = {"ZHENGZHOU", "LUOYANG", "XINXIANG", "NANYANG", "XUCHANG", "ANYANG"}
local kinds = {"FINANCING", "INCUBATION", "INDUSTRY_CHAIN"}
local tracks = {"NEXT_GEN_IT", "HIGH_END_MANUFACTURING", "NEW_MATERIALS", "BIOMEDICINE", "NEW_ENERGY_ENVIRONMENT"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local filter = string.format('{"kinds":["%s"],"cities":["%s"],"tracks":["%s"],"minScore":%d,"eligibleOnly":true}',
    kinds[math.random(#kinds)], cities[math.random(#cities)], tracks[math.random(#tracks)], math.random(0, 60))
  local body = '{"query":"query($f: PairingFilter) { pairings(filter: $f, first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { node { score kind enterprise { name } } } } }","variables":{"f":' .. filter .. '}}'
  return wrk.format(nil, nil, nil, body)
end
