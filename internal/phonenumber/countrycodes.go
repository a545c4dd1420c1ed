package phonenumber

// countryCodes lists the country calling codes assigned in ITU-T
// Recommendation E.164, from the ITU's "List of ITU-T Recommendation E.164
// assigned country codes" (Annex to the ITU Operational Bulletin, published
// as https://www.itu.int/pub/T-SP-E.164D), including the codes assigned to
// global services (800, 808, 870, 878, 881-883, 888, 979, 991) and the
// shared code 388. Spare and withdrawn codes are not listed.
//
// The set is prefix-free (no code is the start of another, TestCountryCodes
// checks it), so the digits of an E.164 number written without a space, such
// as "+442079460958", start with at most one code. It is used only then: a
// space (or another separator) the user wrote after one to three digits
// marks the country code and is trusted.
var countryCodes = codeSet(
	// Zone 1: the North American Numbering Plan.
	"1",
	// Zone 2: mostly Africa.
	"20", "211", "212", "213", "216", "218", "220", "221", "222", "223", "224", "225", "226", "227", "228", "229",
	"230", "231", "232", "233", "234", "235", "236", "237", "238", "239", "240", "241", "242", "243", "244", "245",
	"246", "247", "248", "249", "250", "251", "252", "253", "254", "255", "256", "257", "258", "260", "261", "262",
	"263", "264", "265", "266", "267", "268", "269", "27", "290", "291", "297", "298", "299",
	// Zones 3 and 4: Europe.
	"30", "31", "32", "33", "34", "350", "351", "352", "353", "354", "355", "356", "357", "358", "359", "36",
	"370", "371", "372", "373", "374", "375", "376", "377", "378", "379", "380", "381", "382", "383", "385", "386",
	"387", "388", "389", "39",
	"40", "41", "420", "421", "423", "43", "44", "45", "46", "47", "48", "49",
	// Zone 5: South and Central America.
	"500", "501", "502", "503", "504", "505", "506", "507", "508", "509", "51", "52", "53", "54", "55", "56", "57",
	"58", "590", "591", "592", "593", "594", "595", "596", "597", "598", "599",
	// Zone 6: South-east Asia and Oceania.
	"60", "61", "62", "63", "64", "65", "66", "670", "672", "673", "674", "675", "676", "677", "678", "679", "680",
	"681", "682", "683", "685", "686", "687", "688", "689", "690", "691", "692",
	// Zone 7: Russia and Kazakhstan.
	"7",
	// Zone 8: East Asia and global services.
	"800", "808", "81", "82", "84", "850", "852", "853", "855", "856", "86", "870", "878", "880", "881", "882",
	"883", "886", "888",
	// Zone 9: West, Central and South Asia, the Middle East.
	"90", "91", "92", "93", "94", "95", "960", "961", "962", "963", "964", "965", "966", "967", "968", "970", "971",
	"972", "973", "974", "975", "976", "977", "979", "98", "991", "992", "993", "994", "995", "996", "998",
)

func codeSet(codes ...string) map[string]bool {
	m := make(map[string]bool, len(codes))
	for _, c := range codes {
		m[c] = true
	}
	return m
}

// countryCodeOf returns the assigned country code the digits start with.
func countryCodeOf(digits string) (string, bool) {
	for size := 1; size <= maxCountryCodeDigits && size <= len(digits); size++ {
		if countryCodes[digits[:size]] {
			return digits[:size], true
		}
	}
	return "", false
}
