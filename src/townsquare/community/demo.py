"""The hand-written Community demo: the staff network and the patient community, lived in.

Called by ``townsquare demo`` after the accounts demo (whose sign-ins play the main parts; see
``docs/community.md`` (operators) for who plays what). Idempotent like the other demos: when the
Nursing Practice Council exists, the whole community demo is there and nothing changes.

Everything goes through the community's own services, so the rules, counters, hashtags, search,
notifications and the audit log are exactly what real use would leave: spaces are opened,
joined, requested and invited through ``services.spaces``; posts and comments pass the privacy
guard in ``services.publishing``; reactions, votes and accepted answers go through
``services.posts``; the flag and the approval through ``services.moderation``. Only the times are
moved afterwards, so the feeds show two weeks of life instead of one second.

Every text here was written for this demo and names nobody. The privacy guard scans each one:
all are clean except the one post in Social Media Champions that is meant to be held
(a made-up name, record number and birth date).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from townsquare.accounts import demo as accounts_demo
from townsquare.accounts import services as accounts_services
from townsquare.accounts.models import Organization, OrganizationMembership, Profession, Role, User

from .models import (
    Comment,
    CommunityProfile,
    FlagReason,
    MembershipStatus,
    Post,
    PostKind,
    ReactionKind,
    Space,
    SpaceCategory,
    SpaceKind,
    SpaceMembership,
    SpaceVisibility,
)
from .services import moderation, people, posts, publishing, spaces
from .services.profiles import profile_ensure

# The accounts demo's sign-ins.
STAFF = "staff@townsquare.example"
MODERATOR = "moderator@townsquare.example"
NURSE = "nurse@riverside-health.example"
PHYSICIAN = "physician@riverside-health.example"
LEADER = "leader@riverside-health.example"
PATIENT = "patient@townsquare.example"

RIVERSIDE = "Riverside Health System"
LAKEVIEW = "Lakeview Children's Hospital"

# The community demo's own people (password: the demo password). Staff-network people belong to
# a demo organization; patients and caregivers write under a pseudonym but one.
GRACE = "grace.liu@lakeview-childrens.example"
OMAR = "omar.haddad@riverside-health.example"
MARCUS = "marcus.brown@riverside-health.example"
NADIA = "nadia.rahman@riverside-health.example"
ELENA = "elena.petrova@lakeview-childrens.example"
DANA = "dana@community-demo.example"
LOU = "lou@community-demo.example"
RAY = "ray@community-demo.example"
JESS = "jess@community-demo.example"
PAT = "pat@community-demo.example"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    profession: str
    title: str = ""
    credentials: str = ""
    organization: str = ""
    pseudonym: str = ""

    @property
    def roles(self) -> tuple[str, ...]:
        if self.profession == Profession.PATIENT_OR_CAREGIVER:
            return (Role.PATIENT,)
        return (Role.MEMBER,)


PEOPLE = (
    DemoPerson(GRACE, "Grace Liu", Profession.NURSE, "Pediatric staff nurse", "RN", LAKEVIEW),
    DemoPerson(
        OMAR, "Omar Haddad", Profession.COMMUNICATIONS, "Social media manager", "", RIVERSIDE
    ),
    DemoPerson(MARCUS, "Marcus Brown", Profession.OTHER, "Respiratory therapist", "RRT", RIVERSIDE),
    DemoPerson(
        NADIA, "Nadia Rahman", Profession.NURSE, "Diabetes nurse educator", "RN, CDCES", RIVERSIDE
    ),
    DemoPerson(
        ELENA,
        "Dr. Elena Petrova",
        Profession.PHYSICIAN,
        "Oncologist and researcher",
        "MD, PhD",
        LAKEVIEW,
    ),
    DemoPerson(DANA, "Dana Whitfield", Profession.PATIENT_OR_CAREGIVER, pseudonym="MorningWalker"),
    DemoPerson(LOU, "Lou Martin", Profession.PATIENT_OR_CAREGIVER, pseudonym="PinkRibbonRunner"),
    DemoPerson(RAY, "Ray Okonkwo", Profession.PATIENT_OR_CAREGIVER, pseudonym="CaringSon"),
    DemoPerson(JESS, "Jess Alvarez", Profession.PATIENT_OR_CAREGIVER, pseudonym="SlowAndSteady"),
    DemoPerson(PAT, "Pat Kim", Profession.PATIENT_OR_CAREGIVER),
)

# The demo patient's pseudonym in the patient community.
PATIENT_PSEUDONYM = "BlueHeron"

# Verified by center staff: (person, title shown beside their name).
CLINICIANS = (
    (PHYSICIAN, "Internal medicine physician"),
    (NADIA, "Diabetes nurse educator"),
    (ELENA, "Oncologist"),
)

# (follower, followed): people of the staff network following each other. Patients follow
# groups, not people (their pseudonyms stay safe), so they appear here not at all.
PERSON_FOLLOWS = (
    (NURSE, GRACE),
    (NURSE, PHYSICIAN),
    (NURSE, OMAR),
    (GRACE, NURSE),
    (PHYSICIAN, ELENA),
    (PHYSICIAN, NURSE),
    (OMAR, LEADER),
    (LEADER, OMAR),
    (LEADER, NURSE),
    (MARCUS, NURSE),
    (ELENA, PHYSICIAN),
)


@dataclass(frozen=True)
class SpaceSpec:
    key: str
    kind: str
    name: str
    category: str
    visibility: str
    creator: str
    description: str
    guidelines: str
    requires_approval: bool = False
    moderators: tuple[str, ...] = ()  # besides the creator
    members: tuple[str, ...] = ()
    requests: tuple[str, ...] = ()  # asked to join a private space; left for a moderator
    invitations: tuple[str, ...] = ()  # invited to an invite-only space; not answered yet


STAFF_GUIDELINES = (
    "- Share practice, not patients: no names, room or bed numbers, dates of care or photos of "
    "people.\n"
    "- Say where a recommendation comes from when you suggest a change.\n"
    "- Disagree with the idea, never with the person."
)
PATIENT_GUIDELINES = (
    "- Share your own experience. You never need to give your name, and you may use a "
    "pseudonym.\n"
    "- Nothing here replaces your own care team. Verified clinicians answer general questions; "
    "they cannot advise on your personal treatment.\n"
    "- Be kind: everyone here is at a different point."
)

NURSING = "nursing"
CHAMPIONS = "champions"
RESEARCH = "research"
EXECUTIVE = "executive"
EXPERIENCE = "experience"
DIABETES = "diabetes"
BREAST_CANCER = "breast-cancer"
CAREGIVERS = "caregivers"
LONG_COVID = "long-covid"

SPACES = (
    SpaceSpec(
        NURSING,
        SpaceKind.STAFF,
        "Nursing Practice Council",
        SpaceCategory.PATIENT_CARE,
        SpaceVisibility.OPEN,
        NURSE,
        "Nurses from every unit sharing practice changes, evidence and what works at the "
        "bedside. Bring a question, a protocol you are proud of, or a problem you have not "
        "cracked yet.",
        STAFF_GUIDELINES,
        members=(GRACE, MARCUS, PHYSICIAN, NADIA),
    ),
    SpaceSpec(
        CHAMPIONS,
        SpaceKind.STAFF,
        "Social Media Champions",
        SpaceCategory.INTEREST,
        SpaceVisibility.OPEN,
        LEADER,
        "Staff who post for their hospital or on their own accounts: ideas, policy questions, "
        "what worked and what backfired.",
        STAFF_GUIDELINES,
        moderators=(OMAR,),
        members=(NURSE, GRACE, PHYSICIAN, MARCUS),
    ),
    SpaceSpec(
        RESEARCH,
        SpaceKind.STAFF,
        "Research Collaborative",
        SpaceCategory.RESEARCH,
        SpaceVisibility.PRIVATE,
        ELENA,
        "Multi-site studies on digital communication in care: protocols, drafts and data "
        "questions. Members only: ask to join and tell us which study you work on.",
        STAFF_GUIDELINES + "\n- Drafts shared here stay here until the authors publish them.",
        members=(PHYSICIAN,),
        requests=(GRACE,),
    ),
    SpaceSpec(
        EXECUTIVE,
        SpaceKind.STAFF,
        "Executive Communications",
        SpaceCategory.ADMINISTRATION,
        SpaceVisibility.INVITE_ONLY,
        LEADER,
        "Communication leaders of member organizations: crisis plans, statements and "
        "announcements before they go out.",
        STAFF_GUIDELINES + "\n- Everything here is confidential until it is announced.",
        members=(STAFF,),
        invitations=(PHYSICIAN,),
    ),
    SpaceSpec(
        EXPERIENCE,
        SpaceKind.STAFF,
        "Patient Experience",
        SpaceCategory.PATIENT_CARE,
        SpaceVisibility.OPEN,
        OMAR,
        "Compliments, complaints and ideas that make care feel better for patients and "
        "families. A moderator reads every post before it is published.",
        STAFF_GUIDELINES,
        requires_approval=True,
        members=(GRACE, MARCUS, NURSE),
    ),
    SpaceSpec(
        DIABETES,
        SpaceKind.PATIENT,
        "Type 2 Diabetes Support",
        SpaceCategory.CONDITION,
        SpaceVisibility.OPEN,
        MODERATOR,
        "For people living with type 2 diabetes and those who care for them: food, movement, "
        "medicines, numbers and the days when it is all too much.",
        PATIENT_GUIDELINES,
        moderators=(NADIA,),
        members=(PATIENT, DANA, PHYSICIAN),
    ),
    SpaceSpec(
        BREAST_CANCER,
        SpaceKind.PATIENT,
        "Breast Cancer Survivors",
        SpaceCategory.CONDITION,
        SpaceVisibility.PRIVATE,
        MODERATOR,
        "Life during and after breast cancer treatment. A private group: members read the "
        "posts, and a moderator welcomes each new member.",
        PATIENT_GUIDELINES,
        moderators=(ELENA,),
        members=(LOU,),
    ),
    SpaceSpec(
        CAREGIVERS,
        SpaceKind.PATIENT,
        "Caregivers Circle",
        SpaceCategory.EXPERIENCE,
        SpaceVisibility.OPEN,
        MODERATOR,
        "For people caring for a parent, partner, child or friend: practical tips, respite and "
        "somewhere to say how it really is.",
        PATIENT_GUIDELINES,
        members=(RAY, PATIENT, JESS),
    ),
    SpaceSpec(
        LONG_COVID,
        SpaceKind.PATIENT,
        "Living with Long COVID",
        SpaceCategory.CONDITION,
        SpaceVisibility.OPEN,
        MODERATOR,
        "Fatigue, pacing, brain fog and going back to work: what helps, shared by people "
        "living with it.",
        PATIENT_GUIDELINES,
        members=(JESS, RAY, PAT, PATIENT),
    ),
)


@dataclass(frozen=True)
class CommentSpec:
    key: str
    author: str
    body: str
    hours_later: float
    reply_to: str = ""  # key of the comment it answers
    reactions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PostSpec:
    key: str
    space: str
    author: str
    body: str
    days_ago: float
    title: str = ""
    kind: str = PostKind.DISCUSSION
    poll_options: tuple[str, ...] = ()
    votes: tuple[tuple[str, int], ...] = ()  # (voter, option position)
    comments: tuple[CommentSpec, ...] = ()
    reactions: tuple[tuple[str, str], ...] = ()  # (person, reaction kind)
    accepted: str = ""  # key of the accepted answer (questions)
    approved_by: str = ""  # pre-approval spaces: the moderator who published it


LIKE, SUPPORT, CELEBRATE = ReactionKind.LIKE, ReactionKind.SUPPORT, ReactionKind.CELEBRATE
INSIGHTFUL, THANKS = ReactionKind.INSIGHTFUL, ReactionKind.THANKS

POSTS = (
    # --- Nursing Practice Council ------------------------------------------------------------
    PostSpec(
        "handover-poll",
        NURSING,
        NURSE,
        "We are reviewing shift handover across the cardiology floors. Vote, then tell us why "
        "in the comments. #handover #patientsafety",
        days_ago=6,
        title="Which handover format works best on your unit?",
        kind=PostKind.POLL,
        poll_options=(
            "SBAR at the nurses' station",
            "I-PASS",
            "Bedside handover with the patient",
            "Something else (tell us below)",
        ),
        votes=((GRACE, 2), (MARCUS, 1), (PHYSICIAN, 1), (NADIA, 2)),
        comments=(
            CommentSpec(
                "handover-bedside",
                GRACE,
                "Bedside handover on our pediatric floor since spring. Families like hearing the "
                "plan, and we catch more pump and line mismatches. It takes practice to keep it "
                "short.",
                3,
                reactions=((NURSE, INSIGHTFUL),),
            ),
            CommentSpec(
                "handover-ipass",
                MARCUS,
                "I-PASS for anyone leaving intensive care. The synthesis by the receiver is the "
                "step people skip, and it is the one that catches mistakes.",
                5,
            ),
        ),
        reactions=((GRACE, LIKE), (MARCUS, LIKE)),
    ),
    PostSpec(
        "falls",
        NURSING,
        GRACE,
        "A year ago we added hourly rounding with the four Ps (pain, position, potty, "
        "possessions), bed alarms for children at high risk and a yellow-sock signal. Falls "
        "with injury dropped by about a third.\n\n"
        "The hardest part was nights: rounding felt intrusive, so we paired it with scheduled "
        "care instead of adding visits. Happy to share our audit sheet. What have you tried? "
        "#fallprevention #qualityimprovement",
        days_ago=9,
        title="Our falls bundle, one year on",
        comments=(
            CommentSpec(
                "falls-sheet",
                NURSE,
                "Pairing the rounds with scheduled care is smart. Could you post the audit sheet "
                "here? We would adapt it for step-down.",
                2,
            ),
            CommentSpec(
                "falls-sheet-reply",
                GRACE,
                "Yes, I will add it this week once our quality team has taken our unit's name "
                "off it.",
                4,
                reply_to="falls-sheet",
            ),
        ),
        reactions=((NURSE, INSIGHTFUL), (PHYSICIAN, LIKE), (MARCUS, THANKS), (NADIA, LIKE)),
    ),
    PostSpec(
        "mouth-care",
        NURSING,
        MARCUS,
        "Our protocol still says chlorhexidine every four hours, but newer guidance moves away "
        "from it for most ventilated adults. Has anyone changed their protocol recently, and how "
        "did you roll it out? #ventilatorcare",
        days_ago=3,
        title="Mouth care for ventilated patients: what is your routine now?",
        kind=PostKind.QUESTION,
        comments=(
            CommentSpec(
                "mouth-care-answer",
                PHYSICIAN,
                "We moved to toothbrushing twice a day plus moisturizing every two to four "
                "hours, and stopped routine chlorhexidine outside cardiac surgery. Pharmacy and "
                "the respiratory team signed off together, which made the rollout easy.",
                6,
                reactions=((MARCUS, THANKS), (NURSE, INSIGHTFUL)),
            ),
        ),
        accepted="mouth-care-answer",
    ),
    # --- Social Media Champions --------------------------------------------------------------
    PostSpec(
        "nurses-week",
        CHAMPIONS,
        OMAR,
        "We have three weeks. So far: a day on the unit in sixty seconds, what I wish patients "
        "knew, and a myth-busting series. Everyone on camera signs a release, and nothing is "
        "filmed in patient areas. More ideas welcome! #NursesWeek #shortvideo",
        days_ago=5,
        title="Ideas for our Nurses Week short videos",
        comments=(
            CommentSpec(
                "nurses-week-myths",
                NURSE,
                "Myth-busting gets my vote. Our unit can film one on visiting hours and one on "
                "call bells.",
                1.5,
                reactions=((OMAR, CELEBRATE),),
            ),
        ),
        reactions=((NURSE, CELEBRATE), (GRACE, CELEBRATE), (LEADER, LIKE)),
    ),
    PostSpec(
        "reviews-policy",
        CHAMPIONS,
        LEADER,
        "Thank the person, never confirm that they were a patient, and move the conversation to "
        "a private channel. The full checklist is in the policy builder. #socialmediapolicy",
        days_ago=11,
        title="Our social media policy now covers replies to patient reviews",
        reactions=((OMAR, THANKS), (NURSE, THANKS), (PHYSICIAN, LIKE)),
    ),
    # --- Research Collaborative (private) ----------------------------------------------------
    PostSpec(
        "portal-protocol",
        RESEARCH,
        ELENA,
        "The draft protocol for our multi-site study is ready for comments. We will use "
        "de-identified message counts and response times only: no message text leaves the "
        "sites. Comments by the end of the month, please. #research #patientportal",
        days_ago=8,
        title="Protocol draft: patient portal messages and response times",
        comments=(
            CommentSpec(
                "portal-protocol-review",
                PHYSICIAN,
                "Two thoughts: define a response as the first reply by a clinician, not the "
                "automatic acknowledgement, and compare clinic types separately. Primary care "
                "and oncology inboxes behave very differently.",
                20,
                reactions=((ELENA, INSIGHTFUL),),
            ),
        ),
    ),
    # --- Executive Communications (invite only) ----------------------------------------------
    PostSpec(
        "crisis-playbook",
        EXECUTIVE,
        LEADER,
        "The updated playbook outline: who speaks first, how fast we post a holding statement, "
        "and when we move from social media to the newsroom. Please mark anything that would "
        "not work in your organization. #crisiscomms",
        days_ago=4,
        title="Crisis communication playbook: please review by Friday",
        comments=(
            CommentSpec(
                "crisis-playbook-overnight",
                STAFF,
                "The thirty-minute target for the holding statement is right. Add a line on who "
                "watches the replies overnight.",
                7,
            ),
        ),
    ),
    # --- Patient Experience (pre-approval) ---------------------------------------------------
    PostSpec(
        "compliments",
        EXPERIENCE,
        GRACE,
        "Families praised the quiet hours on our floor and the new discharge checklist with "
        "pictures. Sharing so other units can borrow the ideas. #patientexperience",
        days_ago=7,
        title="Compliments we heard this month",
        approved_by=OMAR,
        reactions=((MARCUS, LIKE), (NURSE, CELEBRATE)),
    ),
    # --- Type 2 Diabetes Support -------------------------------------------------------------
    PostSpec(
        "metformin",
        DIABETES,
        PATIENT,
        "I started metformin a few weeks ago and my stomach is not happy. Does it matter when I "
        "take it? Has anyone else been through this? #metformin #newlydiagnosed",
        days_ago=2,
        title="Does metformin have to be taken with food?",
        kind=PostKind.QUESTION,
        comments=(
            CommentSpec(
                "metformin-dana",
                DANA,
                "Same here at the start! Taking it in the middle of dinner helped me a lot, and "
                "it settled after about a month.",
                1,
                reactions=((PATIENT, SUPPORT),),
            ),
            CommentSpec(
                "metformin-answer",
                PHYSICIAN,
                "In general, yes: taking metformin with a meal, often the evening meal, reduces "
                "stomach upset, and the upset usually eases over a few weeks. Extended-release "
                "tablets are gentler for many people. Ask your own prescriber before changing "
                "how you take it, especially if the upset does not settle.",
                3,
                reactions=((PATIENT, THANKS), (DANA, INSIGHTFUL), (NADIA, LIKE)),
            ),
            CommentSpec(
                "metformin-thanks",
                PATIENT,
                "Thank you both, that is reassuring. I will ask about the extended-release "
                "tablets at my next appointment.",
                5,
                reply_to="metformin-answer",
            ),
        ),
        reactions=((DANA, SUPPORT),),
        accepted="metformin-answer",
    ),
    PostSpec(
        "small-wins",
        DIABETES,
        DANA,
        "Small win: I walked for ten minutes after every meal this week and my readings were "
        "steadier. What small habits have helped you? #smallwins",
        days_ago=4,
        comments=(
            CommentSpec(
                "small-wins-nadia",
                NADIA,
                "Love this. A short walk after meals is one of the simplest things that helps. "
                "Keep going!",
                2,
            ),
        ),
        reactions=((PATIENT, CELEBRATE), (NADIA, CELEBRATE)),
    ),
    PostSpec(
        "tracking-poll",
        DIABETES,
        NADIA,
        "Curious what works for people here. There is no right answer! #selfcare",
        days_ago=1,
        title="How do you keep track of your readings?",
        kind=PostKind.POLL,
        poll_options=(
            "A phone app",
            "A paper logbook",
            "A continuous glucose monitor",
            "I don't track them yet",
        ),
        votes=((PATIENT, 1), (DANA, 0)),
    ),
    # --- Breast Cancer Survivors (private) ---------------------------------------------------
    PostSpec(
        "one-year",
        BREAST_CANCER,
        LOU,
        "It has been a year since my last round of chemo. The fatigue is mostly gone, my hair "
        "came back curly (nobody warned me!) and I am running again, slowly. If you are in the "
        "middle of it: it does get lighter. #survivorship",
        days_ago=3,
        title="One year since my last treatment",
        comments=(
            CommentSpec(
                "one-year-elena",
                ELENA,
                "Congratulations on your year. Posts like this mean a lot to people who are "
                "just starting treatment.",
                4,
            ),
        ),
        reactions=((ELENA, CELEBRATE),),
    ),
    # --- Caregivers Circle -------------------------------------------------------------------
    PostSpec(
        "respite",
        CAREGIVERS,
        RAY,
        "I look after my dad most evenings and weekends. I love him, and I am also exhausted. "
        "Has anyone used respite care, and how did you bring it up with the family? "
        "#respite #caregiving",
        days_ago=6,
        title="How do you find time for yourself?",
        comments=(
            CommentSpec(
                "respite-rota",
                PATIENT,
                "My sister and I set up a rota so that each of us has one evening off a week. "
                "Writing it down made it real.",
                2,
                reactions=((RAY, THANKS),),
            ),
            CommentSpec(
                "respite-service",
                JESS,
                "There was a respite service near us that I had never heard of. Asking felt "
                "like giving up, and it turned out to be the opposite.",
                9,
                reactions=((RAY, SUPPORT),),
            ),
        ),
        reactions=((PATIENT, SUPPORT), (JESS, SUPPORT)),
    ),
    # --- Living with Long COVID --------------------------------------------------------------
    PostSpec(
        "pacing",
        LONG_COVID,
        JESS,
        "I used to push through on good days and then crash for three. Now I plan the day in "
        "blocks, rest before I feel tired, and keep one task in reserve. It is boring, and it "
        "works. #pacing #fatigue",
        days_ago=5,
        title="Pacing: what finally worked for me",
        comments=(
            CommentSpec(
                "pacing-ray",
                RAY,
                "Resting before I feel tired is the part I never manage. Trying it this week.",
                6,
            ),
        ),
        reactions=((RAY, INSIGHTFUL), (PAT, THANKS), (PATIENT, INSIGHTFUL)),
    ),
    PostSpec(
        "supplement",
        LONG_COVID,
        PAT,
        "I stopped all my inhalers and take a herbal supplement instead. Best decision ever, "
        "everyone here should do the same.",
        days_ago=1,
    ),
)

# The post the privacy guard holds: a staff member thanks a team and names a (made-up) patient.
HELD_SPACE = CHAMPIONS
HELD_AUTHOR = NURSE
HELD_BODY = (
    "Huge thanks to the night team who looked after John Smith, MRN 00482913, born 03/14/1958, "
    "in bed 14 last night. He asked me to say it publicly!"
)

# A post waiting for pre-approval in Patient Experience.
PENDING_SPACE = EXPERIENCE
PENDING_AUTHOR = MARCUS
PENDING_TITLE = "Idea: a 'what matters to you' board in every room"
PENDING_BODY = (
    "Patients write one thing that matters to them today, and the care team reads it at "
    "handover. Small, cheap, and it starts good conversations. Could we pilot it on two units? "
    "#patientexperience"
)

# The flag: a member asks the moderators to look at advice that could hurt someone.
FLAG_POST = "supplement"
FLAG_REPORTER = JESS
FLAG_REASON = FlagReason.MISINFORMATION
FLAG_NOTE = "Stopping inhalers without talking to a doctor could be dangerous for some people."

# People who watch a space (every new post notifies them).
WATCHERS = ((PATIENT, DIABETES), (NURSE, NURSING), (OMAR, EXPERIENCE))


def demo_texts() -> list[str]:
    """Every text the demo publishes (the tests pass each through the privacy guard)."""
    texts = [PENDING_TITLE, PENDING_BODY, FLAG_NOTE]
    for spec in POSTS:
        texts += [spec.title, spec.body, *spec.poll_options]
        texts += [comment.body for comment in spec.comments]
    return [text for text in texts if text]


@dataclass
class _Loader:
    now: datetime
    people: dict[str, User] = field(default_factory=dict)
    spaces: dict[str, Space] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)

    def person(self, email: str) -> User:
        # Fresh from the database each time: the permission caches on a user object must not
        # outlive the membership changes made between two steps.
        return User.objects.get(pk=self.people[email].pk)

    def space(self, key: str) -> Space:
        return Space.objects.get(pk=self.spaces[key].pk)

    # --- People ------------------------------------------------------------------------------

    def load_people(self) -> None:
        staff = User.objects.get(email=STAFF)
        organizations = {
            organization.name: organization for organization in Organization.objects.all()
        }
        for person in PEOPLE:
            user = User.objects.filter(email=person.email).first()
            if user is None:
                user = accounts_services.user_create(
                    email=person.email,
                    password=accounts_demo.DEMO_PASSWORD,
                    display_name=person.name,
                    profession=person.profession,
                    roles=person.roles,
                    title=person.title,
                    credentials=person.credentials,
                )
            organization = organizations.get(person.organization)
            if (
                organization is not None
                and not OrganizationMembership.objects.filter(
                    user=user, organization=organization
                ).exists()
            ):
                accounts_services.membership_add(
                    actor=staff, organization=organization, email=person.email
                )
        emails = [STAFF, MODERATOR, NURSE, PHYSICIAN, LEADER, PATIENT]
        emails += [person.email for person in PEOPLE]
        self.people = {user.email: user for user in User.objects.filter(email__in=emails)}
        for email in emails:
            profile_ensure(self.people[email])
        pseudonyms = {PATIENT: PATIENT_PSEUDONYM} | {
            person.email: person.pseudonym for person in PEOPLE if person.pseudonym
        }
        for email, pseudonym in pseudonyms.items():
            user = self.person(email)
            profile = CommunityProfile.objects.get(user=user)
            people.profile_update(
                actor=user, handle=profile.handle, pseudonym=pseudonym, use_pseudonym=True
            )
        for email, title in CLINICIANS:
            people.clinician_verify(
                actor=self.person(STAFF), person=self.person(email), title=title
            )

    # --- Spaces ------------------------------------------------------------------------------

    def load_spaces(self) -> None:
        for spec in SPACES:
            space = spaces.space_create(
                actor=self.person(spec.creator),
                kind=spec.kind,
                name=spec.name,
                category=spec.category,
                visibility=spec.visibility,
                description=spec.description,
                guidelines=spec.guidelines,
                requires_approval=spec.requires_approval,
            )
            self.spaces[spec.key] = space
            for email in (*spec.moderators, *spec.members):
                self._admit(spec, email)
            for email in spec.moderators:
                membership = SpaceMembership.objects.get(space=space, user=self.people[email])
                spaces.moderator_set(
                    actor=self.person(spec.creator), membership=membership, is_moderator=True
                )
            for email in spec.requests:
                spaces.membership_join(
                    actor=self.person(email), space=self.space(spec.key), accept_guidelines=True
                )
            for email in spec.invitations:
                spaces.membership_invite(
                    actor=self.person(spec.creator), space=self.space(spec.key), who=email
                )

    def _admit(self, spec: SpaceSpec, email: str) -> None:
        """Bring a member in the way the space's visibility says: join, ask, or be invited."""
        space = self.space(spec.key)
        creator = self.person(spec.creator)
        if spec.visibility == SpaceVisibility.INVITE_ONLY:
            spaces.membership_invite(actor=creator, space=space, who=email)
        membership = spaces.membership_join(
            actor=self.person(email), space=self.space(spec.key), accept_guidelines=True
        )
        if membership.status == MembershipStatus.REQUESTED:
            spaces.membership_decide(
                actor=creator,
                membership=SpaceMembership.objects.select_related("user", "space").get(
                    pk=membership.pk
                ),
                approve=True,
            )

    # --- Posts -------------------------------------------------------------------------------

    def load_posts(self) -> None:
        for spec in sorted(POSTS, key=lambda spec: -spec.days_ago):
            self._post(spec)
        held = publishing.post_create(
            actor=self.person(HELD_AUTHOR), space=self.space(HELD_SPACE), body=HELD_BODY
        )
        if held.published:
            raise RuntimeError("The privacy guard let the demo's held post through.")
        self._move(held.obj, self.now - timedelta(hours=10))
        pending = publishing.post_create(
            actor=self.person(PENDING_AUTHOR),
            space=self.space(PENDING_SPACE),
            title=PENDING_TITLE,
            body=PENDING_BODY,
        )
        self._move(pending.obj, self.now - timedelta(hours=20))

    def _post(self, spec: PostSpec) -> None:
        written = publishing.post_create(
            actor=self.person(spec.author),
            space=self.space(spec.space),
            kind=spec.kind,
            title=spec.title,
            body=spec.body,
            poll_options=spec.poll_options,
        )
        post = written.obj
        if spec.approved_by:
            moderation.content_approve(actor=self.person(spec.approved_by), target=post)
        elif not written.published:
            raise RuntimeError(f"The demo post {spec.key!r} was held ({written.hold_reason}).")
        post = Post.objects.select_related("space").get(pk=post.pk)
        self.posts[spec.key] = post
        for voter, position in spec.votes:
            option = post.poll.options.get(position=position)
            posts.poll_vote(actor=self.person(voter), post=post, option_ids=[option.pk])
        for person, kind in spec.reactions:
            posts.reaction_toggle(actor=self.person(person), target=post, kind=kind)
        for comment_spec in spec.comments:
            self._comment(post, comment_spec)
        if spec.accepted:
            accepted = self.comments[spec.accepted]
            posts.answer_accept(actor=self.person(spec.author), comment=accepted)
        self._move(post, self.now - timedelta(days=spec.days_ago))
        for comment_spec in spec.comments:
            at = (
                self.now - timedelta(days=spec.days_ago) + timedelta(hours=comment_spec.hours_later)
            )
            Comment.objects.filter(pk=self.comments[comment_spec.key].pk).update(
                created_at=at, updated_at=at
            )
        if spec.comments:
            latest = max(comment.hours_later for comment in spec.comments)
            Post.objects.filter(pk=post.pk).update(
                last_activity_at=self.now - timedelta(days=spec.days_ago, hours=-latest)
            )

    def _comment(self, post: Post, spec: CommentSpec) -> None:
        parent = self.comments[spec.reply_to] if spec.reply_to else None
        written = publishing.comment_create(
            actor=self.person(spec.author),
            post=Post.objects.select_related("space").get(pk=post.pk),
            body=spec.body,
            parent=parent,
        )
        if not written.published:
            raise RuntimeError(f"The demo comment {spec.key!r} was held.")
        comment = Comment.objects.select_related("post__space").get(pk=written.obj.pk)
        self.comments[spec.key] = comment
        for person, kind in spec.reactions:
            posts.reaction_toggle(actor=self.person(person), target=comment, kind=kind)

    def _move(self, post: Post, at: datetime) -> None:
        """Give a post the time it was written in the demo's story (the feeds sort by it)."""
        fields: dict[str, Any] = {"created_at": at, "updated_at": at, "last_activity_at": at}
        if Post.objects.filter(pk=post.pk, published_at__isnull=False).exists():
            fields["published_at"] = at
        Post.objects.filter(pk=post.pk).update(**fields)

    # --- Moderation, follows, watching -------------------------------------------------------

    def load_the_rest(self) -> None:
        from townsquare.notifications.services import scope_level_set

        flagged = Post.objects.select_related("space").get(pk=self.posts[FLAG_POST].pk)
        moderation.flag_create(
            actor=self.person(FLAG_REPORTER), target=flagged, reason=FLAG_REASON, note=FLAG_NOTE
        )
        for follower, followed in PERSON_FOLLOWS:
            people.follow_person(actor=self.person(follower), person=self.person(followed))
        for email, key in WATCHERS:
            space = self.space(key)
            scope_level_set(
                user=self.person(email), scope=space.scope, level="watching", scope_label=space.name
            )
        for space in Space.objects.filter(pk__in=[space.pk for space in self.spaces.values()]):
            latest = space.posts.filter(published_at__isnull=False).aggregate(
                latest=Max("published_at")
            )["latest"]
            Space.objects.filter(pk=space.pk).update(last_post_at=latest)


@transaction.atomic
def load_small() -> bool:
    """Create the community demo once. Returns False (and changes nothing) when it is there."""
    nursing = next(spec for spec in SPACES if spec.key == NURSING)
    if Space.objects.filter(name=nursing.name, kind=SpaceKind.STAFF).exists():
        return False
    accounts_demo.load_small()  # the sign-ins; does nothing when they exist
    loader = _Loader(now=timezone.now())
    loader.load_people()
    loader.load_spaces()
    loader.load_posts()
    loader.load_the_rest()
    return True
