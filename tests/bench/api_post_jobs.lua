-- wrk: POST /jobs with a URL job per request, each URL unique (no dedup between them).
-- The base URL comes from the environment (SOURCE_BASE); RUN_TAG keeps runs apart.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local base = os.getenv("SOURCE_BASE") or "http://127.0.0.1:9/slow.bin"
local run = os.getenv("RUN_TAG") or "0"
local n = 0
-- Headers given to wrk.format replace those of the command line (the API key): add to these.
wrk.headers["Content-Type"] = "application/json"

request = function()
  n = n + 1
  local body = '{"url":"' .. base .. '?r=' .. run .. '-' .. tostring(tid) .. '-' .. n .. '"}'
  return wrk.format("POST", "/jobs", nil, body)
end

-- The first refusal of each thread goes to the report, so a failing run says why.
local told = false
response = function(status, headers, body)
  if status ~= 201 and not told then
    told = true
    print("refused: " .. status .. " " .. body)
  end
end
