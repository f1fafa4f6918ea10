-- GET <url path>/<id> with an id drawn uniformly from [first, last] for every request.
-- Usage: wrk ... -s get_by_id.lua http://host:port/api/v1/products -- FIRST LAST

local first, last = 1, 1

function init(args)
  first = tonumber(args[1]) or first
  last = tonumber(args[2]) or last
  math.randomseed(os.time())
end

function request()
  return wrk.format("GET", wrk.path .. "/" .. math.random(first, last))
end
