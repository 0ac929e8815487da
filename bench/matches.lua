-- wrk script: Enterprise.matches(first: 10) for random enterprises.
-- usage: wrk -t2 -c16 -d20s --latency -s bench/matches.lua http://127.0.0.1:8090/graphql
-- N (env) is the number of enterprises in the store (default 60000).
local b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
local function base64url(s)
  return ((s:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return b64:sub(c + 1, c + 1)
  end))
end

local n = tonumber(os.getenv("N") or "60000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  local id = base64url("Enterprise:" .. math.random(1, n))
  local body = '{"query":"query($id: ID!) { node(id: $id) { ... on Enterprise { name matches(first: 10) { score eligible suggestedAmount reasons { factor contribution message } } } } }","variables":{"id":"' .. id .. '"}}'
  return wrk.format(nil, nil, nil, body)
end
