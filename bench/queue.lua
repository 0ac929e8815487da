-- wrk script: an institution's work queue, a page of 20 applications with
-- their enterprise, product and events (who acted); TOKEN is the caller's
-- bearer token (the administrator sees every bank's queue).
-- usage: TOKEN=... wrk -t1 -c1 -d15s --latency -s bench/queue.lua http://127.0.0.1:8091/graphql
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
wrk.body = '{"query":"{ applications(orderBy: QUEUE, first: 20) { totalCount edges { cursor node { id status requestedAmount greenChannel decisionDueAt enterprise { name } product { name provider { name } } events { at status by { name } } } } } }"}'
