-- One-week calendar-query REPORTs (as the harness sends them), each week drawn at random from
-- the harness's two years (2026-2027). WRK_EXPAND=1 asks for expanded calendar-data.
-- Env: WRK_AUTH (base64 user:password).
local expand = os.getenv("WRK_EXPAND") == "1"
local auth = "Basic " .. os.getenv("WRK_AUTH")
local start = os.time({year = 2026, month = 1, day = 1, hour = 0})
local function stamp(t) return os.date("!%Y%m%dT%H%M%SZ", t) end

request = function()
  local from = start + math.random(0, 100) * 7 * 86400
  local to = from + 7 * 86400
  local data = expand
    and string.format('<C:calendar-data><C:expand start="%s" end="%s"/></C:calendar-data>', stamp(from), stamp(to))
    or '<C:calendar-data/>'
  local body = '<?xml version="1.0" encoding="utf-8"?>\n'
    .. '<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
    .. '<D:prop><D:getetag/>' .. data .. '</D:prop>'
    .. '<C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">'
    .. string.format('<C:time-range start="%s" end="%s"/>', stamp(from), stamp(to))
    .. '</C:comp-filter></C:comp-filter></C:filter></C:calendar-query>'
  return wrk.format("REPORT", nil, {["Depth"] = "1", ["Content-Type"] = "application/xml; charset=utf-8",
    ["Authorization"] = auth}, body)
end

response = function(status, headers, body)
  if status ~= 207 then error("status " .. status) end
end
