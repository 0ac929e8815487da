-- wrk script: full-text search in Chinese (and mixed Latin) over the catalogue.
-- usage: wrk -t2 -c4 -d20s --latency -s bench/search.lua http://127.0.0.1:8090/graphql
local words = {"传感器", "功率器件", "超硬材料", "尼龙", "生物医药", "储能", "MEMS传感器", "SiC", "智能装备", "新能源汽车", "锂电池", "中试"}
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local body = '{"query":"query($q: String!) { search(query: $q, first: 20) { score highlights node { __typename ... on Enterprise { name } ... on SupplyChainDemand { title } } } }","variables":{"q":"' .. words[math.random(#words)] .. '"}}'
  return wrk.format(nil, nil, nil, body)
end
