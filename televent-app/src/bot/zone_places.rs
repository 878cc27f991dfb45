//! A time zone from a shared location: the zone of the nearest of a few hundred major places.
//!
//! There is no geographic database here (and no zone borders): the table is small and built
//! in, so near a border the answer can be the neighbour's zone. The user is told which place
//! was taken and can type a city instead.

use televent_domain::user::TimeZoneId;

/// A place: name, latitude, longitude (degrees), IANA zone.
type Place = (&'static str, f64, f64, &'static str);

/// Major places, at least one per populated zone that matters.
const PLACES: &[Place] = &[
    // Europe
    ("London", 51.507, -0.128, "Europe/London"),
    ("Manchester", 53.481, -2.243, "Europe/London"),
    ("Edinburgh", 55.953, -3.188, "Europe/London"),
    ("Dublin", 53.350, -6.260, "Europe/Dublin"),
    ("Lisbon", 38.722, -9.139, "Europe/Lisbon"),
    ("Porto", 41.158, -8.629, "Europe/Lisbon"),
    ("Madrid", 40.417, -3.704, "Europe/Madrid"),
    ("Barcelona", 41.385, 2.173, "Europe/Madrid"),
    ("Seville", 37.389, -5.984, "Europe/Madrid"),
    ("Paris", 48.857, 2.352, "Europe/Paris"),
    ("Lyon", 45.764, 4.836, "Europe/Paris"),
    ("Marseille", 43.296, 5.370, "Europe/Paris"),
    ("Brussels", 50.850, 4.352, "Europe/Brussels"),
    ("Amsterdam", 52.370, 4.895, "Europe/Amsterdam"),
    ("Luxembourg", 49.612, 6.130, "Europe/Luxembourg"),
    ("Berlin", 52.520, 13.405, "Europe/Berlin"),
    ("Hamburg", 53.551, 9.994, "Europe/Berlin"),
    ("Munich", 48.135, 11.582, "Europe/Berlin"),
    ("Cologne", 50.938, 6.960, "Europe/Berlin"),
    ("Frankfurt", 50.110, 8.682, "Europe/Berlin"),
    ("Zurich", 47.377, 8.542, "Europe/Zurich"),
    ("Geneva", 46.204, 6.143, "Europe/Zurich"),
    ("Vienna", 48.208, 16.373, "Europe/Vienna"),
    ("Rome", 41.903, 12.496, "Europe/Rome"),
    ("Milan", 45.464, 9.190, "Europe/Rome"),
    ("Naples", 40.852, 14.268, "Europe/Rome"),
    ("Palermo", 38.116, 13.361, "Europe/Rome"),
    ("Copenhagen", 55.676, 12.568, "Europe/Copenhagen"),
    ("Oslo", 59.914, 10.752, "Europe/Oslo"),
    ("Bergen", 60.391, 5.322, "Europe/Oslo"),
    ("Stockholm", 59.329, 18.069, "Europe/Stockholm"),
    ("Gothenburg", 57.709, 11.975, "Europe/Stockholm"),
    ("Helsinki", 60.170, 24.938, "Europe/Helsinki"),
    ("Reykjavik", 64.147, -21.942, "Atlantic/Reykjavik"),
    ("Tallinn", 59.437, 24.754, "Europe/Tallinn"),
    ("Riga", 56.950, 24.105, "Europe/Riga"),
    ("Vilnius", 54.687, 25.280, "Europe/Vilnius"),
    ("Warsaw", 52.230, 21.012, "Europe/Warsaw"),
    ("Krakow", 50.065, 19.945, "Europe/Warsaw"),
    ("Prague", 50.076, 14.438, "Europe/Prague"),
    ("Bratislava", 48.149, 17.107, "Europe/Bratislava"),
    ("Budapest", 47.498, 19.040, "Europe/Budapest"),
    ("Ljubljana", 46.057, 14.506, "Europe/Ljubljana"),
    ("Zagreb", 45.815, 15.982, "Europe/Zagreb"),
    ("Belgrade", 44.787, 20.457, "Europe/Belgrade"),
    ("Sarajevo", 43.856, 18.413, "Europe/Sarajevo"),
    ("Podgorica", 42.441, 19.263, "Europe/Podgorica"),
    ("Skopje", 41.998, 21.425, "Europe/Skopje"),
    ("Tirana", 41.328, 19.819, "Europe/Tirane"),
    ("Sofia", 42.698, 23.322, "Europe/Sofia"),
    ("Bucharest", 44.427, 26.103, "Europe/Bucharest"),
    ("Chisinau", 47.011, 28.864, "Europe/Chisinau"),
    ("Athens", 37.984, 23.728, "Europe/Athens"),
    ("Thessaloniki", 40.640, 22.944, "Europe/Athens"),
    ("Nicosia", 35.186, 33.382, "Asia/Nicosia"),
    ("Valletta", 35.899, 14.514, "Europe/Malta"),
    ("Istanbul", 41.008, 28.978, "Europe/Istanbul"),
    ("Ankara", 39.934, 32.860, "Europe/Istanbul"),
    ("Kyiv", 50.450, 30.523, "Europe/Kyiv"),
    ("Lviv", 49.840, 24.030, "Europe/Kyiv"),
    ("Odesa", 46.482, 30.723, "Europe/Kyiv"),
    ("Minsk", 53.904, 27.562, "Europe/Minsk"),
    ("Moscow", 55.756, 37.617, "Europe/Moscow"),
    ("Saint Petersburg", 59.934, 30.336, "Europe/Moscow"),
    ("Kaliningrad", 54.710, 20.511, "Europe/Kaliningrad"),
    ("Samara", 53.195, 50.101, "Europe/Samara"),
    ("Yekaterinburg", 56.838, 60.605, "Asia/Yekaterinburg"),
    ("Omsk", 54.989, 73.369, "Asia/Omsk"),
    ("Novosibirsk", 55.008, 82.935, "Asia/Novosibirsk"),
    ("Krasnoyarsk", 56.011, 92.853, "Asia/Krasnoyarsk"),
    ("Irkutsk", 52.287, 104.305, "Asia/Irkutsk"),
    ("Yakutsk", 62.035, 129.675, "Asia/Yakutsk"),
    ("Vladivostok", 43.115, 131.886, "Asia/Vladivostok"),
    ("Magadan", 59.568, 150.808, "Asia/Magadan"),
    ("Petropavlovsk-Kamchatsky", 53.024, 158.643, "Asia/Kamchatka"),
    // Middle East and Caucasus
    ("Tbilisi", 41.716, 44.783, "Asia/Tbilisi"),
    ("Yerevan", 40.179, 44.499, "Asia/Yerevan"),
    ("Baku", 40.409, 49.867, "Asia/Baku"),
    ("Tel Aviv", 32.085, 34.782, "Asia/Jerusalem"),
    ("Jerusalem", 31.769, 35.216, "Asia/Jerusalem"),
    ("Beirut", 33.894, 35.502, "Asia/Beirut"),
    ("Amman", 31.954, 35.911, "Asia/Amman"),
    ("Damascus", 33.513, 36.292, "Asia/Damascus"),
    ("Baghdad", 33.315, 44.366, "Asia/Baghdad"),
    ("Riyadh", 24.713, 46.675, "Asia/Riyadh"),
    ("Jeddah", 21.543, 39.173, "Asia/Riyadh"),
    ("Kuwait City", 29.376, 47.977, "Asia/Kuwait"),
    ("Doha", 25.285, 51.531, "Asia/Qatar"),
    ("Manama", 26.229, 50.586, "Asia/Bahrain"),
    ("Dubai", 25.205, 55.271, "Asia/Dubai"),
    ("Abu Dhabi", 24.454, 54.377, "Asia/Dubai"),
    ("Muscat", 23.589, 58.383, "Asia/Muscat"),
    ("Tehran", 35.689, 51.389, "Asia/Tehran"),
    ("Kabul", 34.555, 69.207, "Asia/Kabul"),
    // Central and South Asia
    ("Tashkent", 41.299, 69.240, "Asia/Tashkent"),
    ("Almaty", 43.222, 76.851, "Asia/Almaty"),
    ("Astana", 51.160, 71.470, "Asia/Almaty"),
    ("Bishkek", 42.875, 74.570, "Asia/Bishkek"),
    ("Dushanbe", 38.560, 68.787, "Asia/Dushanbe"),
    ("Ashgabat", 37.960, 58.326, "Asia/Ashgabat"),
    ("Karachi", 24.861, 67.010, "Asia/Karachi"),
    ("Lahore", 31.520, 74.359, "Asia/Karachi"),
    ("Islamabad", 33.684, 73.048, "Asia/Karachi"),
    ("Delhi", 28.614, 77.209, "Asia/Kolkata"),
    ("Mumbai", 19.076, 72.878, "Asia/Kolkata"),
    ("Bengaluru", 12.972, 77.595, "Asia/Kolkata"),
    ("Chennai", 13.083, 80.271, "Asia/Kolkata"),
    ("Kolkata", 22.573, 88.364, "Asia/Kolkata"),
    ("Hyderabad", 17.385, 78.487, "Asia/Kolkata"),
    ("Colombo", 6.927, 79.861, "Asia/Colombo"),
    ("Kathmandu", 27.717, 85.324, "Asia/Kathmandu"),
    ("Dhaka", 23.811, 90.413, "Asia/Dhaka"),
    ("Thimphu", 27.472, 89.639, "Asia/Thimphu"),
    ("Male", 4.175, 73.509, "Indian/Maldives"),
    // East and Southeast Asia
    ("Yangon", 16.841, 96.173, "Asia/Yangon"),
    ("Bangkok", 13.756, 100.502, "Asia/Bangkok"),
    ("Hanoi", 21.028, 105.834, "Asia/Bangkok"),
    ("Ho Chi Minh City", 10.823, 106.630, "Asia/Ho_Chi_Minh"),
    ("Phnom Penh", 11.556, 104.928, "Asia/Phnom_Penh"),
    ("Vientiane", 17.975, 102.633, "Asia/Vientiane"),
    ("Kuala Lumpur", 3.139, 101.687, "Asia/Kuala_Lumpur"),
    ("Singapore", 1.352, 103.820, "Asia/Singapore"),
    ("Jakarta", -6.208, 106.846, "Asia/Jakarta"),
    ("Bali", -8.650, 115.217, "Asia/Makassar"),
    ("Makassar", -5.148, 119.432, "Asia/Makassar"),
    ("Jayapura", -2.533, 140.718, "Asia/Jayapura"),
    ("Manila", 14.600, 120.984, "Asia/Manila"),
    ("Hong Kong", 22.320, 114.169, "Asia/Hong_Kong"),
    ("Macau", 22.199, 113.544, "Asia/Macau"),
    ("Taipei", 25.033, 121.565, "Asia/Taipei"),
    ("Shanghai", 31.230, 121.474, "Asia/Shanghai"),
    ("Beijing", 39.904, 116.407, "Asia/Shanghai"),
    ("Guangzhou", 23.129, 113.264, "Asia/Shanghai"),
    ("Chengdu", 30.573, 104.066, "Asia/Shanghai"),
    ("Urumqi", 43.825, 87.617, "Asia/Urumqi"),
    ("Ulaanbaatar", 47.886, 106.906, "Asia/Ulaanbaatar"),
    ("Seoul", 37.567, 126.978, "Asia/Seoul"),
    ("Busan", 35.180, 129.076, "Asia/Seoul"),
    ("Pyongyang", 39.039, 125.763, "Asia/Pyongyang"),
    ("Tokyo", 35.676, 139.650, "Asia/Tokyo"),
    ("Osaka", 34.694, 135.502, "Asia/Tokyo"),
    ("Sapporo", 43.062, 141.354, "Asia/Tokyo"),
    // Oceania
    ("Perth", -31.950, 115.860, "Australia/Perth"),
    ("Darwin", -12.463, 130.842, "Australia/Darwin"),
    ("Adelaide", -34.929, 138.601, "Australia/Adelaide"),
    ("Brisbane", -27.470, 153.026, "Australia/Brisbane"),
    ("Sydney", -33.869, 151.209, "Australia/Sydney"),
    ("Melbourne", -37.814, 144.963, "Australia/Melbourne"),
    ("Hobart", -42.882, 147.327, "Australia/Hobart"),
    ("Port Moresby", -9.443, 147.180, "Pacific/Port_Moresby"),
    ("Noumea", -22.276, 166.458, "Pacific/Noumea"),
    ("Auckland", -36.848, 174.763, "Pacific/Auckland"),
    ("Wellington", -41.287, 174.776, "Pacific/Auckland"),
    ("Suva", -18.124, 178.450, "Pacific/Fiji"),
    ("Apia", -13.833, -171.767, "Pacific/Apia"),
    ("Honolulu", 21.307, -157.858, "Pacific/Honolulu"),
    ("Papeete", -17.535, -149.570, "Pacific/Tahiti"),
    ("Guam", 13.444, 144.794, "Pacific/Guam"),
    // Africa
    ("Cairo", 30.044, 31.236, "Africa/Cairo"),
    ("Alexandria", 31.200, 29.919, "Africa/Cairo"),
    ("Tripoli", 32.887, 13.191, "Africa/Tripoli"),
    ("Tunis", 36.806, 10.182, "Africa/Tunis"),
    ("Algiers", 36.754, 3.059, "Africa/Algiers"),
    ("Casablanca", 33.573, -7.590, "Africa/Casablanca"),
    ("Dakar", 14.717, -17.467, "Africa/Dakar"),
    ("Abidjan", 5.360, -4.008, "Africa/Abidjan"),
    ("Accra", 5.604, -0.187, "Africa/Accra"),
    ("Lagos", 6.524, 3.379, "Africa/Lagos"),
    ("Abuja", 9.077, 7.399, "Africa/Lagos"),
    ("Kinshasa", -4.442, 15.266, "Africa/Kinshasa"),
    ("Luanda", -8.839, 13.289, "Africa/Luanda"),
    ("Khartoum", 15.501, 32.560, "Africa/Khartoum"),
    ("Addis Ababa", 9.030, 38.740, "Africa/Addis_Ababa"),
    ("Nairobi", -1.292, 36.822, "Africa/Nairobi"),
    ("Kampala", 0.348, 32.582, "Africa/Kampala"),
    ("Dar es Salaam", -6.792, 39.208, "Africa/Dar_es_Salaam"),
    ("Kigali", -1.944, 30.062, "Africa/Kigali"),
    ("Lusaka", -15.388, 28.323, "Africa/Lusaka"),
    ("Harare", -17.825, 31.034, "Africa/Harare"),
    ("Maputo", -25.969, 32.573, "Africa/Maputo"),
    ("Johannesburg", -26.204, 28.047, "Africa/Johannesburg"),
    ("Cape Town", -33.925, 18.424, "Africa/Johannesburg"),
    ("Windhoek", -22.560, 17.066, "Africa/Windhoek"),
    ("Antananarivo", -18.879, 47.508, "Indian/Antananarivo"),
    ("Port Louis", -20.161, 57.499, "Indian/Mauritius"),
    // North America
    ("Anchorage", 61.218, -149.900, "America/Anchorage"),
    ("Vancouver", 49.283, -123.121, "America/Vancouver"),
    ("Seattle", 47.606, -122.332, "America/Los_Angeles"),
    ("San Francisco", 37.775, -122.419, "America/Los_Angeles"),
    ("Los Angeles", 34.052, -118.244, "America/Los_Angeles"),
    ("San Diego", 32.716, -117.161, "America/Los_Angeles"),
    ("Las Vegas", 36.170, -115.140, "America/Los_Angeles"),
    ("Phoenix", 33.448, -112.074, "America/Phoenix"),
    ("Salt Lake City", 40.761, -111.891, "America/Denver"),
    ("Denver", 39.739, -104.990, "America/Denver"),
    ("Calgary", 51.045, -114.072, "America/Edmonton"),
    ("Edmonton", 53.546, -113.494, "America/Edmonton"),
    ("Regina", 50.445, -104.619, "America/Regina"),
    ("Winnipeg", 49.895, -97.138, "America/Winnipeg"),
    ("Dallas", 32.777, -96.797, "America/Chicago"),
    ("Houston", 29.760, -95.370, "America/Chicago"),
    ("Minneapolis", 44.978, -93.265, "America/Chicago"),
    ("Chicago", 41.878, -87.630, "America/Chicago"),
    ("New Orleans", 29.951, -90.072, "America/Chicago"),
    ("Detroit", 42.331, -83.046, "America/Detroit"),
    ("Atlanta", 33.749, -84.388, "America/New_York"),
    ("Miami", 25.762, -80.192, "America/New_York"),
    ("Washington", 38.907, -77.037, "America/New_York"),
    ("New York", 40.713, -74.006, "America/New_York"),
    ("Boston", 42.360, -71.059, "America/New_York"),
    ("Toronto", 43.653, -79.383, "America/Toronto"),
    ("Montreal", 45.502, -73.567, "America/Toronto"),
    ("Halifax", 44.649, -63.576, "America/Halifax"),
    ("St. John's", 47.562, -52.713, "America/St_Johns"),
    ("Nuuk", 64.181, -51.694, "America/Nuuk"),
    ("Mexico City", 19.433, -99.133, "America/Mexico_City"),
    ("Guadalajara", 20.660, -103.350, "America/Mexico_City"),
    ("Tijuana", 32.515, -117.038, "America/Tijuana"),
    ("Cancun", 21.162, -86.851, "America/Cancun"),
    ("Guatemala City", 14.634, -90.507, "America/Guatemala"),
    ("San Salvador", 13.693, -89.218, "America/El_Salvador"),
    ("Tegucigalpa", 14.072, -87.192, "America/Tegucigalpa"),
    ("Managua", 12.115, -86.236, "America/Managua"),
    ("San Jose", 9.928, -84.091, "America/Costa_Rica"),
    ("Panama City", 8.983, -79.517, "America/Panama"),
    ("Havana", 23.113, -82.366, "America/Havana"),
    ("Kingston", 17.971, -76.793, "America/Jamaica"),
    ("Santo Domingo", 18.486, -69.931, "America/Santo_Domingo"),
    ("San Juan", 18.466, -66.106, "America/Puerto_Rico"),
    // South America
    ("Bogota", 4.711, -74.072, "America/Bogota"),
    ("Caracas", 10.481, -66.904, "America/Caracas"),
    ("Quito", -0.181, -78.468, "America/Guayaquil"),
    ("Lima", -12.046, -77.043, "America/Lima"),
    ("La Paz", -16.490, -68.119, "America/La_Paz"),
    ("Santiago", -33.449, -70.669, "America/Santiago"),
    ("Buenos Aires", -34.604, -58.382, "America/Argentina/Buenos_Aires"),
    ("Cordoba", -31.420, -64.189, "America/Argentina/Cordoba"),
    ("Montevideo", -34.901, -56.165, "America/Montevideo"),
    ("Asuncion", -25.264, -57.576, "America/Asuncion"),
    ("Sao Paulo", -23.551, -46.633, "America/Sao_Paulo"),
    ("Rio de Janeiro", -22.907, -43.173, "America/Sao_Paulo"),
    ("Brasilia", -15.794, -47.882, "America/Sao_Paulo"),
    ("Recife", -8.048, -34.877, "America/Recife"),
    ("Manaus", -3.119, -60.022, "America/Manaus"),
    ("Paramaribo", 5.852, -55.204, "America/Paramaribo"),
    ("Georgetown", 6.801, -58.155, "America/Guyana"),
];

/// Mean Earth radius in kilometres.
const EARTH_RADIUS_KM: f64 = 6371.0;

/// The zone of the place nearest to `latitude`, `longitude` (degrees) by great-circle
/// distance, and that place's name. `None` for coordinates that are not numbers on Earth.
pub fn zone_near(latitude: f64, longitude: f64) -> Option<(TimeZoneId, &'static str)> {
    if !(-90.0..=90.0).contains(&latitude) || !(-180.0..=180.0).contains(&longitude) {
        return None;
    }
    PLACES
        .iter()
        .map(|place| (distance_km(latitude, longitude, place.1, place.2), place))
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .and_then(|(_, place)| TimeZoneId::parse(place.3).ok().map(|zone| (zone, place.0)))
}

/// The great-circle distance between two points (haversine).
fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().clamp(0.0, 1.0).asin()
}

#[cfg(test)]
mod tests {
    use televent_domain::user::TimeZoneId;

    use super::{PLACES, zone_near};

    #[test]
    fn every_zone_is_known() {
        for (name, _, _, zone) in PLACES {
            assert!(TimeZoneId::parse(zone).is_ok(), "{name}: {zone}");
        }
        assert!(PLACES.len() >= 150, "{}", PLACES.len());
    }

    #[test]
    fn nearest_places() {
        let check = |lat: f64, lon: f64, zone: &str, place: &str| {
            let found = zone_near(lat, lon).map(|(z, p)| (z.name(), p));
            assert_eq!(found, Some((zone, place)), "{lat},{lon}");
        };
        // Potsdam, next to Berlin.
        check(52.39, 13.06, "Europe/Berlin", "Berlin");
        // Brooklyn.
        check(40.68, -73.94, "America/New_York", "New York");
        // Across the antimeridian: Fiji's Taveuni (179.9 E) and a point at 179.9 W.
        check(-16.85, 179.95, "Pacific/Fiji", "Suva");
        check(-17.0, -179.9, "Pacific/Fiji", "Suva");
        check(-33.9, 151.2, "Australia/Sydney", "Sydney");
        assert_eq!(zone_near(95.0, 0.0), None);
        assert_eq!(zone_near(f64::NAN, 0.0), None);
    }
}
