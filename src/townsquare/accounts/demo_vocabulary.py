"""Word lists for the large demo: places, organization and person names, titles, credentials.

Kept apart from ``demo_large.py`` so that the generators read as code; the lists are text, parsed
once at import, so that they read as lists.
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _items(text: str, separator: str = ",") -> tuple[str, ...]:
    """``"a, b, -"`` -> ``("a", "b", "")``: items split on ``separator``; ``-`` is empty."""
    items = (item.strip() for item in " ".join(text.split()).split(separator))
    return tuple("" if item == "-" else item for item in items if item)


def _table(text: str, separator: str = ",") -> dict[str, tuple[str, ...]]:
    """Lines ``key: item, item`` (continued on indented lines) -> ``{key: (item, item)}``."""
    table: dict[str, tuple[str, ...]] = {}
    key = ""
    for line in text.strip().splitlines():
        if line[:1].isspace():
            table[key] += _items(line, separator)
        else:
            key, _, rest = line.partition(":")
            table[key.strip()] = _items(rest, separator)
    return table


def _places(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((city, country) for country, cities in _table(text).items() for city in cities)


# Cities by country; the United States weigh most, as they do among the center's members.
PLACES = _places("""
US: Albany, Ann Arbor, Asheville, Austin, Baltimore, Baton Rouge, Birmingham, Boise, Boston,
    Boulder, Buffalo, Burlington, Charleston, Charlotte, Chattanooga, Cleveland, Columbus, Dayton,
    Denver, Des Moines, Durham, El Paso, Eugene, Fresno, Gainesville, Grand Rapids, Greenville,
    Hartford, Honolulu, Houston, Indianapolis, Jacksonville, Kansas City, Knoxville, Lexington,
    Lincoln, Little Rock, Louisville, Madison, Memphis, Milwaukee, Minneapolis, Nashville,
    New Haven, Norfolk, Oakland, Omaha, Orlando, Pasadena, Phoenix, Pittsburgh, Portland,
    Providence, Raleigh, Reno, Richmond, Rochester, Sacramento, Salt Lake, San Antonio, San Diego,
    Santa Fe, Savannah, Seattle, Spokane, St. Louis, Syracuse, Tacoma, Tampa, Tucson, Tulsa,
    Wichita, Worcester
CA: Calgary, Halifax, Hamilton, Montreal, Ottawa, Toronto, Vancouver, Winnipeg
GB: Birmingham, Bristol, Cambridge, Cardiff, Edinburgh, Glasgow, Leeds, London, Manchester, Oxford
IE: Cork, Dublin, Galway
AU: Adelaide, Brisbane, Melbourne, Perth, Sydney
NZ: Auckland, Wellington
NL: Amsterdam, Rotterdam, Utrecht
DE: Berlin, Hamburg, Munich
DK: Copenhagen
SE: Stockholm
NO: Oslo
FI: Helsinki
CH: Zurich
ES: Barcelona, Madrid
PT: Lisbon
FR: Lyon
IT: Milan
IN: Bangalore, Mumbai
SG: Singapore
ZA: Cape Town, Johannesburg
NG: Lagos
KE: Nairobi
GH: Accra
BR: Sao Paulo
MX: Mexico City, Monterrey
CL: Santiago
""")
NATIONAL_ADJECTIVE = {
    country: adjective
    for country, (adjective,) in _table("""
US: American
CA: Canadian
GB: British
IE: Irish
AU: Australian
NZ: New Zealand
NL: Dutch
DE: German
DK: Danish
SE: Swedish
NO: Norwegian
FI: Finnish
CH: Swiss
ES: Spanish
PT: Portuguese
FR: French
IT: Italian
IN: Indian
SG: Singapore
ZA: South African
NG: Nigerian
KE: Kenyan
GH: Ghanaian
BR: Brazilian
MX: Mexican
CL: Chilean
""").items()
}
NAME_PARTS = _table("""
saint: Luke, Mary, Joseph, Vincent, Francis, Anne, Elizabeth, Catherine, Jude, Clare, Patrick,
       Bernard, Agnes, Michael, Margaret, Thomas
specialty: Cardiology, Oncology, Pediatrics, Dermatology, Orthopedics, Women's Health,
           Behavioral Health, Family Medicine, Eye Care, Kidney Care, Sports Medicine,
           Allergy and Asthma, Diabetes Care, Sleep Medicine
topic: Health Communicators, Nurse Educators, Digital Health, Patient Experience,
       Healthcare Marketing, Medical Writers, Hospital Communications,
       Public Health Informatics, Physician Leaders, Pharmacy Practice, Health Literacy,
       Patient Advocates
stem: Medi, Vita, Cura, Nova, Helio, Thera, Genu, Cardio, Neuro, Lumi, Axo, Orbi, Kine, Sana,
      Vero, Calyx, Aster, Zeni
suffix: gen, ix, tek, lab, core, wave, path, sense, va, on
industry: Pharmaceuticals, Medical Devices, Health Technologies, Diagnostics, Therapeutics,
          Digital Health, Biosciences, Health Analytics
""")
ORGANIZATION_NAMES = _table("""
health_system: {city} Health, {city} Health System, St. {saint} Health, {city} Regional Health,
               {city} Healthcare, {saint} Health Partners
hospital: {city} General Hospital, St. {saints} Hospital {city}, {city} Medical Center,
          {city} Children's Hospital, {city} University Hospital, {city} Memorial Hospital,
          {city} Community Hospital, St. {saint} Medical Center
clinic: {city} Family Medicine, {city} Community Health Center, {city} {specialty} Clinic,
        {surname} Family Practice, {city} {specialty} Associates, {city} Urgent Care,
        {surname} and Partners {specialty}
association: {adjective} Association of {topic}, {adjective} Society of {topic},
             {city} Medical Society, Society for {topic}, {adjective} {topic} Network
industry: {stem}{suffix} {industry}, {stem}{suffix}, {stem}{suffix} {industry} Group
""")
# One pattern of twenty organizations, repeated: every kind is present even at a tiny scale.
KIND_PATTERN = _words("""
    health_system hospital clinic association industry hospital clinic clinic hospital industry
    health_system hospital clinic association clinic hospital clinic industry hospital clinic
""")
# How many people an organization of each kind draws, relative to a clinic.
KIND_WEIGHT = {
    "health_system": 10.0,
    "hospital": 5.0,
    "clinic": 1.2,
    "association": 0.3,
    "industry": 1.5,
}

FIRST_NAMES = _words("""
Aaliyah Abdul Ada Adebayo Aditi Adriana Ahmed Aiko Aisha Akira Alejandro Alex Alice Amara Amina
Ana Andre Andrea Angela Anil Anna Ari Arjun Astrid Ava Ayesha Beatriz Ben Bianca Bilal Bongani
Brian Camila Carlos Carmen Caroline Catherine Chen Chidi Chloe Chris Claire Daniel David Deepa
Diego Dmitri Elena Elif Elijah Emeka Emily Emma Erik Esther Ethan Fatima Felipe Fernando Fiona
Gabriel Grace Hana Hannah Hassan Helen Hiroshi Ibrahim Ines Isaac Isabel Ivan Jacob James Jamal
Javier Jin Joao Jordan Jorge Jose Joseph Julia Kai Kamala Karen Kateryna Kavya Keisha Kenji Kevin
Kofi Laila Lars Laura Leila Liam Lina Lucas Lucia Luis Maria Mariam Mark Marta Mateo Maya Mei
Michael Miguel Mohammed Nadia Naledi Naomi Nia Nikhil Nina Noah Nora Obinna Olga Olivia Omar Oscar
Pablo Paul Pedro Pooja Priya Rafael Rahul Rania Ravi Rebecca Ricardo Rosa Ruth Sakura Samuel Sana
Sara Sean Sebastian Sergei Shreya Simone Sipho Sofia Sophie Stefan Sunita Tariq Teresa Thabo
Thomas Tomas Valentina Victor Wei William Yara Yasmin Yusuf Zainab Zara Zoe
""")
LAST_NAMES = _words("""
Abara Adeyemi Ahmed Ali Alvarez Andersen Ansah Bakker Banerjee Bauer Becker Bianchi Brown Campbell
Carter Castillo Chatterjee Chen Cohen Costa Cruz Das Dlamini Diaz Dubois Edwards Eze Fernandes
Fischer Fitzgerald Flores Garcia Gomez Gonzalez Gupta Haddad Hansen Harris Hernandez Hoffmann
Hughes Ibrahim Ito Iyer Jackson Jensen Johansson Johnson Jones Kapoor Kariuki Khan Kim Kowalski
Kumar Larsen Lee Lewis Li Lopez Martin Martinez Mehta Mendes Mensah Meyer Mohammed Moreau Morris
Murphy Nakamura Nguyen Nielsen Novak Nwosu Obi Odhiambo Okafor Okonkwo Oliveira Olsen Ortiz Osei
Owusu Park Patel Pereira Perez Petrov Phillips Ramirez Rao Reddy Reyes Richter Rivera Roberts
Robinson Rodriguez Rossi Russo Sanchez Santos Sato Schmidt Schneider Shah Silva Singh Smith
Sokolov Suzuki Tanaka Taylor Thomas Thompson Torres Tran Walker Wang Watanabe Weber Williams
Wilson Wong Wright Wu Yamamoto Yang Yilmaz Young Zhang Zhou
""")
CONSUMER_DOMAINS = ("mail.example", "inbox.example", "post.example", "webmail.example")

# "-" stands for "none": some people give no title or credentials.
TITLES = _table("""
physician: Hospitalist, Cardiologist, Pediatrician, Family physician, Emergency physician,
           Oncologist, Resident physician, Chief medical information officer, Dermatologist,
           Psychiatrist
nurse: Charge nurse, Nurse practitioner, Clinical nurse educator, Oncology nurse, Nurse manager,
       ICU nurse, Pediatric nurse, Community health nurse, Nurse informaticist
pharmacist: Clinical pharmacist, Pharmacy manager, Oncology pharmacist, Community pharmacist,
            Medical science liaison
communications: Social media manager, Communications specialist, Content strategist,
                Public relations manager, Digital marketing lead, Community manager,
                Media relations
administration: Practice manager, Patient experience director, Operations manager,
                Compliance officer, Service line director, Quality improvement lead
research: Research coordinator, Health services researcher, Epidemiologist,
          Clinical research associate, Data scientist, Research fellow
other: Health educator, Medical librarian, Dietitian, Physical therapist, Social worker, Chaplain,
       Medical illustrator
patient_or_caregiver: -, -, -, Caregiver, Patient advocate, Peer supporter
""")
INDUSTRY_TITLES = _table("""
communications: Patient engagement lead, Communications manager, Social media lead,
                Medical communications writer
research: Clinical scientist, Real-world evidence lead, Biostatistician
administration: Market access manager, Regulatory affairs manager, Account director
pharmacist: Medical science liaison, Drug safety scientist
other: Product manager, UX researcher, Customer success manager
""")
# Leaders' titles by kind of organization, each with the profession it implies.
LEADER_TITLES = {
    kind: tuple(tuple(entry.split(" = ")) for entry in entries)
    for kind, entries in _table(
        """
health_system: Chief marketing officer = administration; Chief experience officer = administration;
               Vice president of communications = communications;
               Chief medical information officer = physician
hospital: Director of communications = communications; Chief nursing officer = nurse;
          Chief medical officer = physician; Director of patient experience = administration
clinic: Medical director = physician; Practice administrator = administration;
        Nurse manager = nurse
association: Executive director = administration; President = physician;
             Director of membership = communications
industry: Head of medical affairs = physician; Director of patient engagement = communications;
          Head of research = research
""",
        separator=";",
    ).items()
}
CREDENTIALS = _table(
    """
physician: MD; MD; MD, FACP; DO; MBBS; MD, PhD; MD, MPH; FRCP
nurse: RN; RN, BSN; MSN, RN; NP; DNP, RN; RN, CCRN
pharmacist: PharmD; PharmD, BCPS; RPh
communications: -; -; -; APR; MA
administration: -; MBA; MHA; FACHE
research: PhD; MPH; PhD, MPH; MSc
other: -
patient_or_caregiver: -
""",
    separator=";",
)
# Titles that come with their own credential.
TITLE_CREDENTIALS = {
    "Dietitian": "RD",
    "Physical therapist": "DPT",
    "Social worker": "MSW",
    "Biostatistician": "MSc",
    "Clinical scientist": "PhD",
}
# How professions are spread among the staff of care providers and of companies (weights).
PROVIDER_PROFESSIONS = {
    "physician": 22,
    "nurse": 32,
    "pharmacist": 6,
    "communications": 14,
    "administration": 14,
    "research": 6,
    "other": 6,
}
INDUSTRY_PROFESSIONS = {
    "communications": 30,
    "research": 25,
    "administration": 20,
    "pharmacist": 10,
    "other": 15,
}
INTERESTS = _items("""
patient education, social media policy, crisis communication, health literacy, online communities,
video storytelling, misinformation, podcasting, nurse recruitment, clinical trials outreach,
digital ethics, accessibility, physician wellbeing, public health campaigns
""")
