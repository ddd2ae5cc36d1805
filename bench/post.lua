-- wrk: POST a chat completion; BODY and KEY come from the environment (bench/run.sh sets them).
wrk.method = "POST"
wrk.body = os.getenv("BODY")
wrk.headers["Content-Type"] = "application/json"
local key = os.getenv("KEY")
if key and key ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. key
end

-- count answers that are not 200 (wrk's own "Non-2xx" line says the same)
local bad = 0
response = function(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  end
end
