-- wrk script: the catalogue page front-ends open first (issue 16):
-- enterprises(first: 20, filter: {cities: [LUOYANG]}) with its totalCount.
-- usage: wrk -t2 -c8 -d20s --latency -s bench/catalogue.lua http://127.0.0.1:8091/graphql
-- ORDER (env), when set, is the orderBy (NAME_ASC, INNOVATION_SCORE_DESC, …);
-- LAST (env), when set, asks for the last 20 instead of the first.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local args = "first: 20"
if os.getenv("LAST") then
  args = "last: 20"
end
if os.getenv("ORDER") then
  args = args .. ", orderBy: " .. os.getenv("ORDER")
end
wrk.body = '{"query":"{ enterprises(' .. args .. ', filter: {cities: [LUOYANG]}) { totalCount edges { node { id name } } } }"}'
