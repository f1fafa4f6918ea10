-- POST a review of a product drawn uniformly from [first, last] to the URL given to wrk.
-- Usage: wrk ... -s create_review.lua http://host:port/api/v1/reviews -- FIRST LAST

local first, last = 1, 1
local headers = {["Content-Type"] = "application/json"}

function init(args)
  first = tonumber(args[1]) or first
  last = tonumber(args[2]) or last
  math.randomseed(os.time())
end

function request()
  local body = string.format('{"product_id": %d, "rating": %d, "note": "Bench review"}',
    math.random(first, last), math.random(1, 5))
  return wrk.format("POST", nil, headers, body)
end
