"""The hand-written Academy demo: the GSM courses, the Social Media Residency and its cohort.

Called by ``townsquare demo`` after the accounts demo (whose people it uses). Idempotent like the
accounts demo: when the first course exists the whole academy demo is there and nothing changes.
Courses are built from the models (the authoring rules are kept by hand: published courses have
``published_at``, completed enrollments ``completed_at``, every video a transcript); the demo
nurse's certificate comes from the credentials service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from townsquare.accounts.models import User

from .models import (
    AccessTier,
    Choice,
    Cohort,
    CohortMember,
    CohortRole,
    Course,
    CourseAudience,
    CourseStatus,
    CreditActivity,
    CreditType,
    Disclosure,
    DisclosureRole,
    Enrollment,
    EnrollmentStatus,
    Lesson,
    LessonKind,
    LessonProgress,
    Level,
    Module,
    Program,
    ProgramEnrollment,
    ProgramItem,
    Question,
    QuestionKind,
    Quiz,
    QuizAnswer,
    QuizAttempt,
    Topic,
)
from .services.catalog import course_search_sync

INSTRUCTOR = "instructor@townsquare.example"
COACH = "coach@townsquare.example"
STAFF = "staff@townsquare.example"
NURSE = "nurse@riverside-health.example"  # the demo member: a completed course and a certificate
PHYSICIAN = "physician@riverside-health.example"
LEADER = "leader@riverside-health.example"
RESIDENCY_SLUG = "social-media-residency"


# --- Content --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Q:
    kind: str
    prompt: str
    choices: tuple[tuple[str, bool], ...] = ()
    accepted: tuple[str, ...] = ()
    explanation: str = ""


@dataclass(frozen=True)
class L:
    title: str
    body: str = ""
    kind: str = LessonKind.TEXT
    video_url: str = ""
    transcript: str = ""
    discussion_prompt: str = ""
    minutes: int = 10
    questions: tuple[Q, ...] = ()
    pass_mark: int = 80


@dataclass(frozen=True)
class M:
    title: str
    summary: str
    lessons: tuple[L, ...]


@dataclass(frozen=True)
class CourseSpec:
    code: str
    title: str
    level: str
    tier: str
    hours: str
    topics: tuple[str, ...]
    audience: tuple[str, ...]
    summary: str
    modules: tuple[M, ...] = field(default_factory=tuple)
    prerequisites: tuple[str, ...] = ()


TRUE_FALSE = (("True", True), ("False", False))
FALSE_TRUE = (("True", False), ("False", True))

COURSES: tuple[CourseSpec, ...] = (
    CourseSpec(
        code="GSM 101",
        title="Social media foundations for health care",
        level=Level.INTRODUCTORY,
        tier=AccessTier.PUBLIC,
        hours="2.00",
        topics=("Strategy", "Professionalism"),
        audience=(),
        summary=(
            "Why hospitals, clinics and clinicians use social media, what each platform is good "
            "for, and the professional habits that keep you and your patients safe. The starting "
            "point of every Academy path."
        ),
        modules=(
            M(
                "Why social media matters in health care",
                "Where patients look for health information, and what that asks of us.",
                (
                    L(
                        "Where patients look for health information",
                        """Most adults now look online before, during and after a visit. They
search for symptoms, read other patients' stories, compare hospitals and ask questions in groups
they trust. If accurate voices from health care are absent, the conversation goes on without them.

Health-care organizations use social media for four broad purposes: **sharing reliable
information** (prevention campaigns, seasonal advice), **service** (opening hours, how to book,
where to park), **community** (support groups, patient stories told with consent) and
**recruitment and reputation**. A clear purpose for each account keeps the content focused.

Clinicians have a voice of their own. A nurse explaining how to use an inhaler, or a physician
correcting a myth in plain words, can reach more people in an afternoon than a leaflet in a year,
provided they follow their employer's policy and the rules of their profession.""",
                        minutes=12,
                    ),
                    L(
                        "Welcome from your instructor",
                        kind=LessonKind.VIDEO,
                        video_url="https://media.townsquare.example/academy/gsm-101-welcome.mp4",
                        transcript="""Hello and welcome to GSM 101. I'm Priya Raman, a physician
and digital health educator.

Over the next two hours we'll look at why patients turn to social media, what each platform is
good for, and the handful of professional habits that keep you, your colleagues and your patients
safe.

You don't need any experience with social media to start. By the end you'll be able to read your
organization's social media policy with confidence and plan your first useful post.""",
                        minutes=4,
                    ),
                ),
            ),
            M(
                "Platforms and professional habits",
                "What each network is for, and how to behave on all of them.",
                (
                    L(
                        "Choosing the right platform",
                        """Each platform has its own audience and rhythm. **Facebook** still
reaches the widest adult audience and suits community updates and groups. **Instagram** and
**TikTok** favour short visual stories: a day on the ward, a quick demonstration. **LinkedIn** is
where recruitment, research and partnerships are discussed. **YouTube** is the second-largest
search engine; longer explanations live there for years.

Start with the platforms your audience already uses, not with all of them. One account that posts
well twice a week does more good than five that post once a month. Write down who the account is
for, what it will share and who answers messages, before the first post.""",
                    ),
                    L(
                        "Professional boundaries online",
                        """The rules of professionalism do not change when you go online. Do not
give individual medical advice in public comments; point people to an appointment or a helpline.
Do not accept friend requests from current patients on personal accounts. Declare conflicts of
interest when you mention a product.

Assume that everything you post is public and permanent, even in a "private" group. Screenshots
travel. A useful test before posting: would you be comfortable if your patient, your manager and
a journalist all read it tomorrow?""",
                        discussion_prompt=(
                            "Describe a post you have seen from a health professional that you "
                            "thought crossed a line. What would you have done differently?"
                        ),
                        kind=LessonKind.DISCUSSION,
                    ),
                    L(
                        "Check your knowledge",
                        kind=LessonKind.QUIZ,
                        questions=(
                            Q(
                                QuestionKind.SINGLE,
                                "A patient asks for advice about their medication dose in a public "
                                "comment on the hospital's page. What is the best reply?",
                                (
                                    ("Answer the question in the comment", False),
                                    (
                                        "Invite them to call the pharmacy helpline or book a visit",
                                        True,
                                    ),
                                    ("Delete the comment without replying", False),
                                ),
                                explanation="Individual advice belongs in a private channel.",
                            ),
                            Q(
                                QuestionKind.TRUE_FALSE,
                                "A post in a private group is safe from being shared publicly.",
                                FALSE_TRUE,
                                explanation="Screenshots travel: treat every post as public.",
                            ),
                            Q(
                                QuestionKind.MULTIPLE,
                                "Which are good reasons for a hospital to run a social media "
                                "account? Select all that apply.",
                                (
                                    ("Sharing reliable prevention information", True),
                                    ("Telling people about opening hours and services", True),
                                    ("Discussing individual patients' cases", False),
                                    ("Recruiting staff", True),
                                ),
                            ),
                            Q(
                                QuestionKind.SHORT,
                                "Which platform is often called the second-largest search engine?",
                                accepted=("YouTube",),
                            ),
                            Q(
                                QuestionKind.SINGLE,
                                "How many platforms should a new hospital account start on?",
                                (
                                    ("All of the major ones at once", False),
                                    ("The ones its audience already uses", True),
                                    ("Only the newest one", False),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
    CourseSpec(
        code="GSM 103",
        title="Protecting patient privacy online",
        level=Level.INTRODUCTORY,
        tier=AccessTier.MEMBER,
        hours="1.50",
        topics=("Privacy and HIPAA", "Professionalism"),
        audience=("nurse", "physician", "pharmacist"),
        summary=(
            "HIPAA and patient privacy for everyone who posts: the eighteen identifiers, consent "
            "for photos and stories, and what to do when something goes wrong."
        ),
        prerequisites=("GSM 101",),
        modules=(
            M(
                "What counts as protected health information",
                "The identifiers, and why a post without a name can still identify a patient.",
                (
                    L(
                        "The eighteen identifiers",
                        """Under HIPAA, health information becomes protected when it can be linked
to a person. The Privacy Rule lists eighteen identifiers: names, addresses smaller than a state,
dates (other than the year) related to the person, telephone numbers, email addresses, medical
record numbers, full-face photographs and any other unique characteristic, among others.

The trap on social media is **combination**. "Our youngest ever heart transplant patient went home
today" names no one, yet in a small town, together with the date and a photo of the ward, it may
point to exactly one family. Ask: could someone who knows the patient recognize them?

When in doubt, leave it out, or ask the patient for written authorization first.""",
                        minutes=15,
                    ),
                    L(
                        "Photos, videos and the background",
                        """Most privacy incidents on social media are accidental and happen in
the background: a whiteboard with names, a screen with a chart open, a wristband, a reflection in
a window. Before taking a photo in a clinical area, check the whole frame, not just the subject.

Patients and visitors need a signed consent form before they appear in any image, even from
behind. Staff should know their organization's policy on filming on the wards; many forbid
personal phones in patient areas altogether.""",
                    ),
                ),
            ),
            M(
                "Consent and incidents",
                "Telling patient stories with consent, and responding when something slips.",
                (
                    L(
                        "Telling patient stories with consent",
                        """Patient stories are among the most powerful content a hospital can
share. Done well, they are told *with* patients rather than *about* them. Use your organization's
authorization form, explain where the story will appear and for how long, and let the patient
review the final text and images.

Consent can be withdrawn. Keep a record of where each story was published so it can be taken
down quickly if the patient changes their mind.""",
                    ),
                    L(
                        "When a privacy breach happens",
                        kind=LessonKind.VIDEO,
                        video_url="https://media.townsquare.example/academy/gsm-103-breach.mp4",
                        transcript="""If you realize a post may identify a patient, act quickly
and calmly. First, take the post down or hide it. Second, tell your privacy officer the same day:
they decide whether it is a reportable breach. Third, write down what was posted, where, when and
who may have seen it.

Do not try to handle it alone, and do not delete evidence beyond removing the post. Most
organizations treat a prompt, honest report very differently from a cover-up.""",
                        minutes=6,
                    ),
                    L(
                        "Privacy quiz",
                        kind=LessonKind.QUIZ,
                        questions=(
                            Q(
                                QuestionKind.TRUE_FALSE,
                                "A photo of a patient taken from behind needs no consent.",
                                FALSE_TRUE,
                                explanation="Anyone who appears in an image needs to consent.",
                            ),
                            Q(
                                QuestionKind.SINGLE,
                                "Which of these is a HIPAA identifier?",
                                (
                                    ("The patient's medical record number", True),
                                    ("The name of the hospital's city", False),
                                    ("The diagnosis alone", False),
                                ),
                            ),
                            Q(
                                QuestionKind.MULTIPLE,
                                "You notice a chart visible in a colleague's post. What should "
                                "you do? Select all that apply.",
                                (
                                    ("Ask for the post to be taken down at once", True),
                                    ("Tell the privacy officer the same day", True),
                                    ("Wait to see if anyone notices", False),
                                ),
                            ),
                            Q(
                                QuestionKind.SHORT,
                                "Which US law sets the privacy rule for health information?",
                                accepted=(
                                    "HIPAA",
                                    "Health Insurance Portability and Accountability Act",
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
    CourseSpec(
        code="GSM 201",
        title="Building a hospital's social presence",
        level=Level.INTERMEDIATE,
        tier=AccessTier.MEMBER,
        hours="3.00",
        topics=("Strategy", "Content"),
        audience=("communications", "administration"),
        summary=(
            "From a handful of accounts to a strategy: goals, a content calendar, a consistent "
            "voice, governance across departments, and a small team that can keep it going."
        ),
        prerequisites=("GSM 101",),
        modules=(
            M(
                "Strategy before posts",
                "Goals, audiences and the accounts that serve them.",
                (
                    L(
                        "Setting goals you can measure",
                        """A social presence starts with the organization's goals, not with the
platforms. Typical goals: increase uptake of a screening programme, recruit nurses for a new
unit, reduce calls to the switchboard by answering common questions online. Each goal names an
audience and a measure.

Write goals the SMART way: specific, measurable, achievable, relevant and time-bound. "Raise
awareness" is not a goal; "Double online bookings for flu vaccination among staff by 30 November"
is.""",
                        minutes=15,
                    ),
                    L(
                        "Governance: who may post, who answers",
                        """Large organizations accumulate accounts: a department page here, a
foundation account there, a forgotten profile from a past campaign. Make an inventory, close
what is abandoned, and give every remaining account an owner and a backup.

A simple governance model names who may publish, who approves sensitive posts, who answers
messages (and how quickly), and who is called at night when something goes wrong.""",
                    ),
                ),
            ),
            M(
                "Content that people want",
                "A calendar, a voice and formats that work.",
                (
                    L(
                        "A content calendar that survives a busy week",
                        """Plan a month ahead and leave room for the unplanned. Anchor the
calendar on the health observances that matter to your community, your own service changes and
recurring series (a "Meet the team" every Tuesday). Prepare posts in batches and schedule them.

Keep a library of approved images and texts so a colleague can step in when you are away.""",
                    ),
                    L(
                        "Finding your voice",
                        kind=LessonKind.VIDEO,
                        video_url="https://media.townsquare.example/academy/gsm-201-voice.mp4",
                        transcript="""Your hospital already has a voice: it's how your best nurses
talk to a worried family. Warm, clear, never condescending. On social media, write the way they
speak.

Use plain words, short sentences and the active voice. Say "we" for the organization and "you"
for the reader. Avoid jargon and abbreviations, and always say what the reader can do next.""",
                        minutes=5,
                    ),
                    L(
                        "Strategy quiz",
                        kind=LessonKind.QUIZ,
                        pass_mark=75,
                        questions=(
                            Q(
                                QuestionKind.SINGLE,
                                "Which of these is a measurable goal?",
                                (
                                    ("Raise awareness of the hospital", False),
                                    (
                                        "Double staff flu-vaccination bookings online by "
                                        "30 November",
                                        True,
                                    ),
                                    ("Be more active on social media", False),
                                ),
                            ),
                            Q(
                                QuestionKind.TRUE_FALSE,
                                "Every account should have an owner and a backup.",
                                TRUE_FALSE,
                            ),
                            Q(
                                QuestionKind.MULTIPLE,
                                "What belongs in a governance model? Select all that apply.",
                                (
                                    ("Who may publish", True),
                                    ("Who answers messages, and how quickly", True),
                                    ("The brand colours", False),
                                    ("Who is called at night when something goes wrong", True),
                                ),
                            ),
                            Q(
                                QuestionKind.SHORT,
                                "SMART goals are specific, measurable, achievable, relevant "
                                "and … what?",
                                accepted=("time-bound", "time bound", "timely"),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
    CourseSpec(
        code="GSM 205",
        title="Crisis communication on social media",
        level=Level.INTERMEDIATE,
        tier=AccessTier.MEMBER,
        hours="2.00",
        topics=("Crisis communication", "Strategy"),
        audience=("physician", "communications", "administration"),
        summary=(
            "Outbreaks, incidents and misinformation move fast online. Prepare a plan, hold the "
            "first hour, speak with one voice and correct falsehoods without amplifying them."
        ),
        prerequisites=("GSM 101",),
        modules=(
            M(
                "Before the crisis",
                "The plan, the people and the pre-approved messages.",
                (
                    L(
                        "A crisis plan on one page",
                        """A crisis plan that nobody can find at 2 a.m. is no plan. Keep it to one
page: who declares a crisis, who is in the response team, how to reach them, which accounts pause
their scheduled posts, and where the holding statements are kept.

Rehearse once a year with a realistic scenario: a power cut in the emergency department, a
measles case in the waiting room, a viral video of a staff member.""",
                        minutes=12,
                    ),
                    L(
                        "Holding statements",
                        """In the first hour you rarely know everything, but silence is filled by
rumour. A holding statement says what you know, what you are doing, and when you will update:
"We are aware of a fire alarm at Riverside Hospital. All patients are safe. The emergency
department is open. We will update here at 3 p.m."

Prepare templates in advance and have them approved, so only the facts need filling in.""",
                    ),
                ),
            ),
            M(
                "During and after",
                "Speaking with one voice, handling misinformation and learning from it.",
                (
                    L(
                        "Misinformation: correct without amplifying",
                        kind=LessonKind.VIDEO,
                        video_url="https://media.townsquare.example/academy/gsm-205-myths.mp4",
                        transcript="""When a false claim spreads, lead with the fact, not the
myth. Say what is true, explain briefly why the myth is wrong, and repeat the fact. This is the
"truth sandwich".

Don't quote-share the false post: that shows it to your followers. Link to a trusted source, and
ask partner organizations to share your correction.""",
                        minutes=7,
                    ),
                    L(
                        "After the crisis: the review",
                        """When things calm down, hold a short review within two weeks. What did
we know, when? Which messages worked? Which questions did people ask that we did not answer?
Update the plan and the holding statements with what you learned.""",
                    ),
                    L(
                        "Crisis quiz",
                        kind=LessonKind.QUIZ,
                        questions=(
                            Q(
                                QuestionKind.SINGLE,
                                "What should a holding statement include?",
                                (
                                    ("Every detail, even unconfirmed ones", False),
                                    (
                                        "What you know, what you are doing and when you will "
                                        "update",
                                        True,
                                    ),
                                    ("Nothing until the investigation is complete", False),
                                ),
                            ),
                            Q(
                                QuestionKind.TRUE_FALSE,
                                "Quote-sharing a false post is a good way to correct it.",
                                FALSE_TRUE,
                                explanation="It shows the false claim to your own followers.",
                            ),
                            Q(
                                QuestionKind.SHORT,
                                "What is the name of the technique: fact, myth, fact?",
                                accepted=("truth sandwich", "the truth sandwich"),
                            ),
                            Q(
                                QuestionKind.MULTIPLE,
                                "Which belong in a one-page crisis plan? Select all that apply.",
                                (
                                    ("Who declares a crisis", True),
                                    ("Where the holding statements are kept", True),
                                    ("Which scheduled posts to pause", True),
                                    ("Next year's marketing budget", False),
                                ),
                            ),
                            Q(
                                QuestionKind.SINGLE,
                                "When should the after-crisis review take place?",
                                (
                                    ("Within about two weeks", True),
                                    ("At the end of the year", False),
                                    ("Only if journalists ask", False),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
    CourseSpec(
        code="GSM 301",
        title="Measuring impact",
        level=Level.ADVANCED,
        tier=AccessTier.PREMIUM,
        hours="2.50",
        topics=("Analytics", "Strategy"),
        audience=("communications", "research", "administration"),
        summary=(
            "Beyond likes: choose metrics that match your goals, read platform analytics "
            "critically, connect social media to outcomes and report to leadership."
        ),
        prerequisites=("GSM 201",),
        modules=(
            M(
                "Metrics that matter",
                "From vanity metrics to outcomes.",
                (
                    L(
                        "Vanity metrics and meaningful ones",
                        """Followers and likes are easy to count and easy to inflate. They say
little about whether a campaign changed anything. Meaningful metrics follow from the goal:
bookings made through a link, calls avoided because a question was answered online, applications
for a vacancy, attendance at a screening day.

Build a small ladder for each goal: **reach** (who saw it), **engagement** (who acted on the
platform), **conversion** (who acted off the platform) and **outcome** (what changed for patients
or the organization).""",
                        minutes=15,
                    ),
                    L(
                        "Reading platform analytics critically",
                        """Platform dashboards count differently and change their definitions
often. "Reach" on one network is not "impressions" on another. Export the data monthly, note the
definitions in use, and compare a campaign with its own baseline rather than across platforms.

Use tracked links (UTM parameters) so that visits from social media show up in your website
analytics, where conversions are counted.""",
                    ),
                ),
            ),
            M(
                "Reporting",
                "Telling leadership what worked.",
                (
                    L(
                        "Building a simple dashboard",
                        kind=LessonKind.VIDEO,
                        video_url="https://media.townsquare.example/academy/gsm-301-dashboard.mp4",
                        transcript="""In this demonstration we build a one-sheet dashboard in a
spreadsheet. One row per month, one column per measure on the ladder: reach, engagement, clicks
on tracked links, and the outcome we care about, here flu-vaccination bookings.

Export each platform's figures on the first working day of the month and paste them in the same
place every time. Add a line chart per goal, and a notes column for anything unusual, such as a
news story or an outage, that explains a spike or a dip.""",
                        minutes=8,
                    ),
                    L(
                        "A one-page report for leadership",
                        """Leaders need three things: what we set out to do, what happened and
what we will do next. Lead with outcomes, show one chart per goal, and be honest about what did
not work. Put the platform detail in an appendix.""",
                    ),
                    L(
                        "Impact quiz",
                        kind=LessonKind.QUIZ,
                        questions=(
                            Q(
                                QuestionKind.SINGLE,
                                "Which is an outcome rather than a vanity metric?",
                                (
                                    ("Number of followers", False),
                                    (
                                        "Screening appointments booked through the campaign link",
                                        True,
                                    ),
                                    ("Likes on the campaign video", False),
                                ),
                            ),
                            Q(
                                QuestionKind.TRUE_FALSE,
                                "Reach on one platform can be compared directly with "
                                "impressions on another.",
                                FALSE_TRUE,
                            ),
                            Q(
                                QuestionKind.SHORT,
                                "What are the tracking parameters added to links usually called?",
                                accepted=("UTM", "UTM parameters", "UTM tags"),
                            ),
                            Q(
                                QuestionKind.MULTIPLE,
                                "Which rungs belong on the measurement ladder? Select all that "
                                "apply.",
                                (
                                    ("Reach", True),
                                    ("Engagement", True),
                                    ("Conversion", True),
                                    ("Outcome", True),
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
    ),
)

CREDIT = {
    "GSM 103": {
        "credit_type": CreditType.NURSING,
        "max_hours": "1.50",
        "objectives": (
            "- Identify the HIPAA identifiers that can appear in a social media post\n"
            "- Obtain and document patient consent for photos and stories\n"
            "- Respond to a suspected privacy breach within the same day"
        ),
        "accreditation_statement": (
            "The Townsquare Center for Health-Care Social Media is accredited as a provider of "
            "nursing continuing professional development by the American Nurses Credentialing "
            "Center's Commission on Accreditation. Participants may earn up to 1.5 contact hours."
        ),
        "disclosures": (
            ("Dr. Priya Raman, MD, MPH", DisclosureRole.FACULTY, "", ""),
            ("Morgan Lee", DisclosureRole.PLANNER, "", ""),
            ("Ana Ruiz, RN, BSN", DisclosureRole.REVIEWER, "", ""),
        ),
    },
    "GSM 205": {
        "credit_type": CreditType.AMA_PRA_1,
        "max_hours": "2.00",
        "objectives": (
            "- Prepare a one-page crisis communication plan for a clinical setting\n"
            "- Draft holding statements for the first hour of an incident\n"
            "- Correct health misinformation without amplifying it"
        ),
        "accreditation_statement": (
            "The Townsquare Center for Health-Care Social Media is accredited by the "
            "Accreditation Council for Continuing Medical Education (ACCME) to provide continuing "
            "medical education for physicians. The Center designates this enduring material for "
            "a maximum of 2.0 AMA PRA Category 1 Credits™. Physicians should claim only the "
            "credit commensurate with the extent of their participation in the activity."
        ),
        "disclosures": (
            (
                "Dr. Priya Raman, MD, MPH",
                DisclosureRole.FACULTY,
                "Advisory board, Example Telehealth Inc. (ended)",
                "All relevant financial relationships were mitigated by independent peer review "
                "of the content.",
            ),
            ("Jordan Ellis", DisclosureRole.PLANNER, "", ""),
        ),
    },
}

PROGRAM: dict[str, str] = {
    "title": "Social Media Residency",
    "slug": RESIDENCY_SLUG,
    "summary": (
        "Twelve weeks to become your organization's social media lead: foundations, privacy and "
        "a strategy of your own, with a cohort of peers, an instructor and a mentor."
    ),
}
PROGRAM_COURSES = ("GSM 101", "GSM 103", "GSM 201")


# --- Building -------------------------------------------------------------------------------------


def _people() -> dict[str, User]:
    emails = [INSTRUCTOR, COACH, STAFF, NURSE, PHYSICIAN, LEADER]
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def _quiz(lesson: Lesson, spec: L) -> None:
    quiz = Quiz.objects.create(
        lesson=lesson, pass_mark=spec.pass_mark, attempt_limit=3, questions_per_attempt=None
    )
    for position, question_spec in enumerate(spec.questions):
        question = Question.objects.create(
            quiz=quiz,
            kind=question_spec.kind,
            prompt=question_spec.prompt,
            explanation=question_spec.explanation,
            accepted_answers=list(question_spec.accepted),
            position=position,
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=is_correct, position=index)
            for index, (text, is_correct) in enumerate(question_spec.choices)
        )


def _course(spec: CourseSpec, *, instructor: User | None, author: User | None, now) -> Course:  # type: ignore[no-untyped-def]
    course = Course.objects.create(
        code=spec.code,
        slug=slugify(f"{spec.code} {spec.title}"),
        title=spec.title,
        summary=spec.summary,
        level=spec.level,
        access_tier=spec.tier,
        estimated_hours=Decimal(spec.hours),
        status=CourseStatus.PUBLISHED,
        published_at=now - timedelta(days=90),
        created_by=author,
    )
    if instructor is not None:
        course.instructors.add(instructor)
    topics = [
        Topic.objects.get_or_create(slug=slugify(name), defaults={"name": name})[0]
        for name in spec.topics
    ]
    course.topics.set(topics)
    CourseAudience.objects.bulk_create(
        CourseAudience(course=course, profession=profession) for profession in spec.audience
    )
    for module_position, module_spec in enumerate(spec.modules):
        module = Module.objects.create(
            course=course,
            title=module_spec.title,
            summary=module_spec.summary,
            position=module_position,
        )
        for position, lesson_spec in enumerate(module_spec.lessons):
            lesson = Lesson.objects.create(
                module=module,
                course=course,
                title=lesson_spec.title,
                kind=lesson_spec.kind,
                body=lesson_spec.body,
                video_url=lesson_spec.video_url,
                transcript=lesson_spec.transcript,
                discussion_prompt=lesson_spec.discussion_prompt,
                estimated_minutes=lesson_spec.minutes,
                position=position,
            )
            if lesson_spec.kind == LessonKind.QUIZ:
                _quiz(lesson, lesson_spec)
    return course


def _credit(course: Course, data: dict) -> None:  # type: ignore[type-arg]
    activity = CreditActivity.objects.create(
        course=course,
        credit_type=data["credit_type"],
        max_hours=Decimal(data["max_hours"]),
        objectives=data["objectives"],
        accreditation_statement=data["accreditation_statement"],
        released_on=timezone.localdate() - timedelta(days=90),
        expires_on=timezone.localdate() + timedelta(days=3 * 365 - 90),
    )
    Disclosure.objects.bulk_create(
        Disclosure(
            activity=activity,
            person_name=name,
            role=role,
            relationships=relationships,
            mitigation=mitigation,
            position=position,
        )
        for position, (name, role, relationships, mitigation) in enumerate(data["disclosures"])
    )


def _passed_attempt(enrollment: Enrollment, quiz: Quiz, when) -> None:  # type: ignore[no-untyped-def]
    questions = list(quiz.questions.prefetch_related("choices"))
    attempt = QuizAttempt.objects.create(
        quiz=quiz,
        enrollment=enrollment,
        user=enrollment.user,
        number=1,
        question_ids=[question.pk for question in questions],
        started_at=when - timedelta(minutes=9),
        submitted_at=when,
        score=Decimal(100),
        is_passed=True,
    )
    for question in questions:
        answer = QuizAnswer.objects.create(
            attempt=attempt,
            question=question,
            text=question.accepted_answers[0] if question.accepted_answers else "",
            is_correct=True,
            points=Decimal(question.points),
        )
        answer.choices.set([choice for choice in question.choices.all() if choice.is_correct])


def _enroll(
    user: User,
    course: Course,
    *,
    done: int,
    now,  # type: ignore[no-untyped-def]
    cohort: Cohort | None = None,
    complete: bool = False,
) -> Enrollment:
    """Enroll with the first ``done`` lessons completed (all, quizzes passed, if ``complete``)."""
    lessons = list(course.lessons.order_by("module__position", "position", "pk"))
    if complete:
        done = len(lessons)
    started = now - timedelta(days=30)
    enrollment = Enrollment.objects.create(
        user=user,
        course=course,
        cohort=cohort,
        organization=user.primary_organization,
        disclosures_seen_at=started,
        status=EnrollmentStatus.COMPLETED if complete else EnrollmentStatus.ACTIVE,
        last_lesson=lessons[done - 1] if done else None,
        last_activity_at=started + timedelta(days=done) if done else None,
        completed_at=started + timedelta(days=done) if complete else None,
    )
    for index, lesson in enumerate(lessons[:done]):
        finished = started + timedelta(days=index + 1)
        LessonProgress.objects.create(
            enrollment=enrollment,
            lesson=lesson,
            started_at=finished - timedelta(minutes=lesson.estimated_minutes),
            completed_at=finished,
        )
        if lesson.kind == LessonKind.QUIZ:
            _passed_attempt(enrollment, lesson.quiz, finished)  # type: ignore[attr-defined]
    return enrollment


def _residency(courses: dict[str, Course], people: dict[str, User], now) -> Cohort:  # type: ignore[no-untyped-def]
    program = Program.objects.create(
        title=PROGRAM["title"],
        slug=PROGRAM["slug"],
        summary=PROGRAM["summary"],
        access_tier=AccessTier.MEMBER,
        is_published=True,
    )
    ProgramItem.objects.bulk_create(
        ProgramItem(program=program, course=courses[code], position=position)
        for position, code in enumerate(PROGRAM_COURSES)
    )
    today = timezone.localdate()
    cohort = Cohort.objects.create(
        title="Social Media Residency — autumn cohort",
        slug="social-media-residency-autumn",
        program=program,
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=54),
        mentee_limit=4,
        capacity=20,
    )
    if INSTRUCTOR in people:
        CohortMember.objects.create(
            cohort=cohort, user=people[INSTRUCTOR], role=CohortRole.INSTRUCTOR
        )
    mentors = [
        CohortMember.objects.create(cohort=cohort, user=people[email], role=CohortRole.MENTOR)
        for email in (COACH, STAFF)
        if email in people
    ]
    learners = [people[email] for email in (NURSE, PHYSICIAN, LEADER) if email in people]
    for index, learner in enumerate(learners):
        CohortMember.objects.create(
            cohort=cohort,
            user=learner,
            role=CohortRole.LEARNER,
            mentor=mentors[index % len(mentors)] if mentors else None,
        )
        ProgramEnrollment.objects.create(user=learner, program=program)
    return cohort


@transaction.atomic
def load_small() -> bool:
    """Create the academy demo once. Returns False (and changes nothing) when it is there."""
    if Course.objects.filter(code=COURSES[0].code).exists():
        return False
    now = timezone.now()
    people = _people()
    instructor, staff = people.get(INSTRUCTOR), people.get(STAFF)
    courses: dict[str, Course] = {}
    for spec in COURSES:
        courses[spec.code] = _course(
            spec, instructor=instructor, author=staff or instructor, now=now
        )
    for spec in COURSES:
        courses[spec.code].prerequisites.set([courses[code] for code in spec.prerequisites])
    for code, data in CREDIT.items():
        _credit(courses[code], data)
    for course in courses.values():
        course_search_sync(course=course)
    cohort = _residency(courses, people, now)
    _demo_learning(courses, people, cohort, now)
    return True


def _demo_learning(
    courses: dict[str, Course],
    people: dict[str, User],
    cohort: Cohort,
    now: datetime,
) -> None:
    nurse, physician, leader = people.get(NURSE), people.get(PHYSICIAN), people.get(LEADER)
    if nurse is not None:
        completed = _enroll(
            nurse, courses["GSM 101"], done=0, now=now, cohort=cohort, complete=True
        )
        _enroll(nurse, courses["GSM 103"], done=3, now=now, cohort=cohort)
        _certificate(completed)
    if physician is not None:
        _enroll(physician, courses["GSM 101"], done=2, now=now, cohort=cohort)
        _enroll(physician, courses["GSM 205"], done=1, now=now)
    if leader is not None:
        _enroll(leader, courses["GSM 101"], done=4, now=now, cohort=cohort)


def _certificate(enrollment: Enrollment) -> None:
    from .services.statements import statement_record

    course = enrollment.course
    statement_record(
        user=enrollment.user,
        verb="completed",
        object_type="course",
        object_id=course.pk,
        name=str(course),
        completion=True,
    )
    from .services.credentials import course_certificate_issue

    course_certificate_issue(enrollment=enrollment)
