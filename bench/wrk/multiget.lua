-- calendar-multiget REPORTs of 100 hrefs drawn at random from a file of hrefs (one per line,
-- the paths a PROPFIND Depth 1 listed). Env: WRK_AUTH (base64 user:password), WRK_HREFS (file).
local auth = "Basic " .. os.getenv("WRK_AUTH")
local hrefs = {}
for line in io.lines(os.getenv("WRK_HREFS")) do hrefs[#hrefs + 1] = line end

request = function()
  local parts = {}
  for i = 1, 100 do parts[i] = "<D:href>" .. hrefs[math.random(#hrefs)] .. "</D:href>" end
  local body = '<?xml version="1.0" encoding="utf-8"?>\n'
    .. '<C:calendar-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    .. '<D:prop><D:getetag/><C:calendar-data/></D:prop>' .. table.concat(parts) .. '</C:calendar-multiget>'
  return wrk.format("REPORT", nil, {["Depth"] = "1", ["Content-Type"] = "application/xml; charset=utf-8",
    ["Authorization"] = auth}, body)
end

response = function(status, headers, body)
  if status ~= 207 then error("status " .. status) end
end
