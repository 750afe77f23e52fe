-- wrk: GET the tracking pages of many cases in turn (TOKENS env: tokens separated by
-- spaces), so that views of different cases arrive together, as they do in life.
local tokens = {}
for token in string.gmatch(os.getenv("TOKENS") or "", "%S+") do
  tokens[#tokens + 1] = token
end
local next_one = 0
function request()
  next_one = next_one % #tokens + 1
  return wrk.format("GET", "/track/" .. tokens[next_one])
end
