"""The vocabulary of synthetic rows: countries, names, titles, issues, cities, sentences."""

COUNTRIES = (
    "Pakistan, United States, Afghanistan, India, China, Russia, Iran, Saudi Arabia, "
    "United Arab Emirates, Qatar, Turkey, United Kingdom, France, Germany, Japan, "
    "Uzbekistan, Tajikistan, Turkmenistan, Kazakhstan, Bangladesh, Sri Lanka, Nepal, "
    "Egypt, Indonesia, Malaysia, Canada, Brazil, South Africa, Nigeria, Kenya, Italy, "
    "Spain, Poland, Ukraine, Israel, Jordan, Oman, Kuwait, Bahrain, Iraq"
).split(", ")
GIVEN = (
    "Imran, Asim, Nawaz, Shehbaz, Bilawal, Asif, Pervez, Benazir, Yusuf, Ashraf, Hamid, "
    "Abdullah, Antony, Lloyd, William, Joseph, Donald, Hillary, Condoleezza, Colin, John, "
    "Madeleine, Zalmay, Thomas, Elizabeth, Julieta, Qamar, Raheel, Jalil, Anwar, Mumtaz, "
    "Najam, Amina, Ghulam, Liaquat"
).split(", ")
FAMILY = (
    "Khan, Munir, Sharif, Zardari, Bhutto, Musharraf, Gilani, Ghani, Karzai, Blinken, "
    "Austin, Burns, Biden, Trump, Clinton, Rice, Powell, Kerry, Albright, Khalilzad, West, "
    "Horst, Noyes, Bajwa, Jilani, Kakar, Baloch, Rafique, Mohammed, Ali, Durrani, Qureshi, "
    "Abbasi, Aziz, Malik"
).split(", ")
TITLES = (
    "Prime Minister, President, Foreign Minister, Chief of Army Staff, Secretary of State, "
    "Special Envoy, National Security Adviser, Finance Minister"
).split(", ")
ISSUE_NAMES = (
    "Refugees, Counter-terrorism, Trade and investment, IMF, China, India, Russia–Ukraine, "
    "Gaza, Elections and democracy, Military cooperation, Energy, Climate, Education, "
    "Water, Nuclear"
).split(", ")
CITIES = {
    "Pakistan": "Islamabad",
    "United States": "Washington",
    "Afghanistan": "Kabul",
    "India": "New Delhi",
    "China": "Beijing",
    "Russia": "Moscow",
}
SENTENCES = [
    "{a} met {b} in {city} to discuss {issue} and the wider region.",
    "Officials said the talks on {issue} were productive but no agreement was announced.",
    "{a} pledged continued cooperation on {issue}, according to a statement from {country}.",
    "The visit came amid rising tensions over {issue} between {country} and its neighbours.",
    "{b} urged {a} to do more on {issue}, a demand {country} has long resisted.",
    "Analysts described the meeting as a reset after years of mistrust over {issue}.",
    "A joint statement reaffirmed the need to strengthen broad-based ties, including {issue}.",
    "{country} denied the reports, calling them baseless and politically motivated.",
    "The two sides agreed to set up working groups on {issue} before the end of the year.",
    "Aid worth {amount} billion dollars was discussed, officials familiar with the talks said.",
    "Critics argued that the visit achieved little beyond symbolism on {issue}.",
    "{a} said the relationship had entered a new phase built on trade rather than aid.",
]


def zipf_choice(rng, items, exponent=1.1):
    """Return a function picking from `items` with Zipf-distributed popularity."""
    weights = [1 / (rank**exponent) for rank in range(1, len(items) + 1)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)

    def pick():
        return rng.choices(items, cum_weights=cumulative, k=1)[0]

    return pick
