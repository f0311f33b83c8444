-- wrk script: GET every path listed in $PATHS_FILE in turn, with Accept: application/json.
-- wrk prints "Non-2xx or 3xx responses: N" itself when some requests were not answered.
local paths = {}
for line in io.lines(os.getenv("PATHS_FILE")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local next_index = 0
wrk.headers["Accept"] = "application/json"

request = function()
  next_index = next_index % #paths + 1
  return wrk.format("GET", paths[next_index])
end
