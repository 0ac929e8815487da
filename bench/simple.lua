-- wrk script: a small, ordinary query (the first five enterprises' names),
-- the yardstick of how other clients fare beside hostile ones.
-- usage: wrk -t1 -c1 -d15s --latency -s bench/simple.lua http://127.0.0.1:8091/graphql
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ enterprises(first: 5) { totalCount edges { node { name } } } }"}'
