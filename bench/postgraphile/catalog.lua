-- wrk script for the side-by-side of issue 16: the same catalogue read,
-- written for Yurong or for PostGraphile 5 (graphile.config.mjs).
--
--   TARGET=yurong|postgraphile  which server's spelling (default yurong)
--   Q=typename|by_id|products|city_page|city_count|ordered_page|ordered_last|before_page
--          (typename, { __typename }, is each server's GraphQL ceiling)
--   N      enterprises in the store (by_id's ids are 1..N; default 60000)
--   BEFORE the cursor before_page pages back from (compare.sh reads it
--          from each server: the cursor of enterprise 30001 in id order)
--   ORDER  Yurong's orderBy value for ordered_* (compare.sh reads it from
--          Yurong's schema; default FOUNDED_ON_ASC)
--
-- usage (from the repository root):
--   TARGET=postgraphile Q=city_page wrk -t2 -c8 -d30s --latency \
--     -s bench/postgraphile/catalog.lua http://127.0.0.1:5678/graphql
--
-- Every response is checked: a status other than 200 or a body with
-- "errors" is counted, and done() prints the count (compare.sh refuses a
-- figure with any).
package.path = "./bench/?.lua;" .. package.path
local base64url = require("base64url")

local target = os.getenv("TARGET") or "yurong"
local q = os.getenv("Q") or "by_id"
local n = tonumber(os.getenv("N") or "60000")
local before = os.getenv("BEFORE") or ""
local order = os.getenv("ORDER") or "FOUNDED_ON_ASC"

local function body(query, variables)
  local b = '{"query":"' .. query:gsub('"', '\\"') .. '"'
  if variables then
    b = b .. ',"variables":' .. variables
  end
  return b .. "}"
end

-- Fixed bodies; by_id is built per request.
local fixed = {
  yurong = {
    typename = body("{ __typename }"),
    products = body("{ financialProducts(first: 20) { edges { node { id name provider { id name } } } } }"),
    city_page = body("{ enterprises(first: 20, filter: {cities: [LUOYANG]}) { edges { node { id name } } } }"),
    city_count = body("{ enterprises(filter: {cities: [LUOYANG]}) { totalCount } }"),
    ordered_page = body("{ enterprises(first: 20, orderBy: " .. order .. ") { edges { node { id name foundedOn } } } }"),
    ordered_last = body("{ enterprises(last: 20, orderBy: " .. order .. ") { edges { node { id name foundedOn } } } }"),
    before_page = body("query($before: Cursor) { enterprises(last: 20, before: $before) { edges { node { id name } } } }",
      '{"before":"' .. before .. '"}'),
  },
  postgraphile = {
    typename = body("{ __typename }"),
    products = body("{ financialProducts(first: 20) { edges { node { id name provider { id name } } } } }"),
    city_page = body('{ enterprises(first: 20, filter: {city: {in: ["LUOYANG"]}}) { edges { node { id name } } } }'),
    city_count = body('{ enterprises(filter: {city: {in: ["LUOYANG"]}}) { totalCount } }'),
    ordered_page = body("{ enterprises(first: 20, orderBy: [FOUNDED_ON_ASC]) { edges { node { id name foundedOn } } } }"),
    ordered_last = body("{ enterprises(last: 20, orderBy: [FOUNDED_ON_ASC]) { edges { node { id name foundedOn } } } }"),
    before_page = body("query($before: Cursor) { enterprises(last: 20, before: $before) { edges { node { id name } } } }",
      '{"before":"' .. before .. '"}'),
  },
}

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = 0
  sample = nil
end

request = function()
  if q == "by_id" then
    local id = math.random(1, n)
    if target == "postgraphile" then
      return wrk.format(nil, nil, nil,
        body("query($id: BigInt!) { enterprise(rowId: $id) { id name city foundedOn } }", '{"id":"' .. id .. '"}'))
    end
    return wrk.format(nil, nil, nil,
      body("query($id: ID!) { node(id: $id) { ... on Enterprise { id name city foundedOn } } }",
        '{"id":"' .. base64url("Enterprise:" .. id) .. '"}'))
  end
  return wrk.format(nil, nil, nil, fixed[target][q])
end

response = function(status, headers, resp)
  if status ~= 200 or resp:find('"errors"', 1, true) then
    bad = bad + 1
    if not sample then
      sample = status .. " " .. resp:sub(1, 300)
    end
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do
    total = total + (t:get("bad") or 0)
    local s = t:get("sample")
    if s then
      io.write("first bad response: " .. s .. "\n")
    end
  end
  io.write("bad responses: " .. total .. "\n")
end
