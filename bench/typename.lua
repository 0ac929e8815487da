-- wrk script: { __typename }, the GraphQL ceiling of the server (parsing,
-- validation, the extensions and the response, no resolver).
-- usage: wrk -t2 -c8 -d20s --latency -s bench/typename.lua http://127.0.0.1:8091/graphql
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"query":"{ __typename }"}'
