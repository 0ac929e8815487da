-- Shared set-up of the wrk scripts that post GraphQL with a random id:
-- POST as JSON, the bearer token from TOKEN (env) when set, and N (env), the
-- number of enterprises in the store (default 60000), which it returns.
return function()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  if os.getenv("TOKEN") then
    wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  end
  return tonumber(os.getenv("N") or "60000")
end
