"""The policy builder's default clause set, written for Townsquare.

Eight clauses of a health-care organization's social-media policy, each with a plain-language
explanation for the person filling in the form and two to four options. An option's text is what
goes into the policy; ``{organization}``, ``{contact_name}``, ``{contact_email}`` and
``{contact_phone}`` are filled in when the policy is built.

The text is a starting point written in plain language, not legal advice: an organization's
compliance office and counsel should read the built policy before it takes effect.

``clauses_load()`` puts the set into the database (``townsquare library_load_clauses`` and the
demo call it). It is idempotent and never overwrites a clause or option staff have edited, unless
asked to with ``update=True``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class OptionText:
    key: str
    label: str
    text: str
    is_default: bool = False


@dataclass(frozen=True)
class ClauseText:
    key: str
    title: str
    explanation: str
    options: tuple[OptionText, ...]
    is_required: bool = True


CLAUSES: tuple[ClauseText, ...] = (
    ClauseText(
        key="patient-privacy",
        title="Protecting patient privacy and PHI",
        explanation=(
            "HIPAA protects any information that could identify a patient: not only names, but "
            "photographs, dates, room numbers, rare conditions and the story itself when someone "
            "could recognise it. Most social-media breaches in health care come from well-meant "
            "posts: a photo with a whiteboard in the background, a 'you won't believe the shift "
            "I had' story. Choose how strict the rule is. The strictest option is the safest and "
            "the easiest to follow."
        ),
        options=(
            OptionText(
                key="no-patient-information",
                label="No patient information at all (recommended)",
                is_default=True,
                text=(
                    "Never post, share, like or discuss protected health information (PHI) on "
                    "social media. PHI is anything that could identify a patient: a name, a "
                    "photograph or video, a date of admission or birth, a room or bed number, a "
                    "diagnosis, an unusual condition, or a story told in enough detail that "
                    "someone could recognise the person. Leaving out the name is not enough. "
                    "This rule applies to {organization}'s official accounts and to personal "
                    "accounts, to public posts, private groups, direct messages and stories that "
                    "disappear. Before taking a photo or video anywhere patients are cared for, "
                    "check that no patient, screen, chart, whiteboard or wristband can be seen. "
                    "If you are not sure whether something could identify a patient, do not post "
                    "it and ask {contact_name} ({contact_email})."
                ),
            ),
            OptionText(
                key="written-authorization",
                label="Patient stories only with written authorization",
                text=(
                    "Never post protected health information (PHI) on a personal account, in any "
                    "form: names, photographs, dates, room numbers, diagnoses or stories that "
                    "could identify a patient. Patient stories may appear only on "
                    "{organization}'s official accounts, and only when the patient (or their "
                    "legal representative) has signed a HIPAA authorization for that specific "
                    "use. The communications team obtains and keeps the authorization before "
                    "anything is published and removes the content promptly if the patient "
                    "withdraws it. Staff never ask a patient for permission to post on their "
                    "behalf. Questions go to {contact_name} ({contact_email})."
                ),
            ),
            OptionText(
                key="de-identified-education",
                label="De-identified cases for education, reviewed first",
                text=(
                    "Never post protected health information (PHI) on social media. Clinicians "
                    "may share a case for professional education only when it is fully "
                    "de-identified: all eighteen HIPAA identifiers removed, no dates, places or "
                    "images that could point to the patient, and details changed where the "
                    "condition is rare enough to be recognised. Before posting, the case is "
                    "reviewed by the privacy office through {contact_name} "
                    "({contact_email}). When in doubt, leave it out."
                ),
            ),
        ),
    ),
    ClauseText(
        key="disclosure",
        title="Disclosing your affiliation",
        explanation=(
            "When you recommend something you have a connection to, your readers have a right "
            "to know. The US Federal Trade Commission's Endorsement Guides (16 CFR Part 255) "
            "require a clear disclosure of any 'material connection', such as employment, "
            "payment or free products, whenever you endorse a product or service, including "
            "your employer's. A disclosure hidden in a profile or behind 'more' does not count."
        ),
        options=(
            OptionText(
                key="always-disclose",
                label="Always disclose when you talk about us",
                is_default=True,
                text=(
                    "Whenever you mention or recommend {organization}, its services, physicians "
                    "or campaigns on social media, say clearly in the post itself that you work "
                    "for or with {organization}, for example 'I work at {organization}' or "
                    "'#employee'. The disclosure must be easy to see: in the text of the post, "
                    "not only in your profile, a link or a list of hashtags. The same applies to "
                    "reviews and ratings: never post a review of {organization} or a competitor "
                    "without saying who you work for."
                ),
            ),
            OptionText(
                key="material-connection",
                label="Disclose every material connection, ours and vendors'",
                text=(
                    "Disclose clearly any material connection when you endorse a product, "
                    "service or organization on social media: your employment at "
                    "{organization}, payment, free products or samples, travel, or any other "
                    "benefit, including from vendors, drug and device makers. Use plain words in "
                    "the post itself ('I work at {organization}', 'Paid partnership', '#ad'), as "
                    "the Federal Trade Commission's Endorsement Guides require. Do not accept "
                    "payment or gifts for posting about {organization} or its suppliers without "
                    "approval from {contact_name}."
                ),
            ),
            OptionText(
                key="disclose-and-disclaim",
                label="Disclose, and say the views are your own",
                text=(
                    "When you post about health care, {organization} or its services on a "
                    "personal account, say clearly that you work for or with {organization}. "
                    "Where it could be unclear whether you speak for {organization}, add that "
                    "the views are your own, for example 'I work at {organization}; views are "
                    "my own'. A disclaimer does not permit anything this policy otherwise "
                    "forbids, and it does not replace a disclosure of payment or free products, "
                    "which must always be made in the post itself."
                ),
            ),
        ),
    ),
    ClauseText(
        key="accounts",
        title="Personal and official accounts",
        explanation=(
            "People need to know when the organization is speaking and when you are. Official "
            "accounts speak for the organization; personal accounts speak for you. Decide how "
            "firmly the two are kept apart."
        ),
        options=(
            OptionText(
                key="keep-separate",
                label="Keep them strictly separate",
                is_default=True,
                text=(
                    "Only accounts approved under this policy speak for {organization}. On a "
                    "personal account, do not use {organization}'s name, logo or uniforms in your "
                    "account name or profile picture in a way that suggests an official account, "
                    "and do not announce news on its behalf. Do not use your work email address "
                    "to register personal accounts, and do not use personal accounts to do "
                    "{organization}'s business. Share official posts if you wish, with the "
                    "disclosure this policy asks for."
                ),
            ),
            OptionText(
                key="professional-profiles",
                label="Professional profiles allowed, with care",
                text=(
                    "Only accounts approved under this policy speak for {organization}. You may "
                    "name {organization} as your employer on professional profiles (such as "
                    "LinkedIn or Doximity) and share its public posts. You may not create "
                    "accounts, pages or groups that use {organization}'s name or logo, or that "
                    "could be mistaken for an official account. Professional profiles follow "
                    "every other part of this policy, PHI above all."
                ),
            ),
            OptionText(
                key="personal-use-at-work",
                label="Separate, and personal use at work limited to breaks",
                text=(
                    "Only accounts approved under this policy speak for {organization}; "
                    "personal accounts never use its name or logo as if they were official. "
                    "Personal social-media use during working time is limited to breaks and must "
                    "never happen while caring for patients or in patient-care areas. "
                    "{organization}'s devices and networks are for work; what you do on them "
                    "may be monitored as the acceptable-use policy explains."
                ),
            ),
        ),
    ),
    ClauseText(
        key="branded-accounts",
        title="Approval of branded accounts",
        is_required=False,
        explanation=(
            "Departments, clinics and foundations often want their own page. Unapproved pages "
            "confuse patients, are abandoned when their creator leaves and are a favourite "
            "target of impostors. Decide who approves an account that uses the organization's "
            "name and who holds its passwords. Leave this clause out only if no one but the "
            "central team will ever run an account."
        ),
        options=(
            OptionText(
                key="central-approval",
                label="The communications office approves every account",
                is_default=True,
                text=(
                    "No account, page, group or channel may use {organization}'s name, logo or "
                    "brand without written approval from {contact_name} ({contact_email}). "
                    "The request names the purpose, the audience and at least two trained staff "
                    "who will run it. {organization} owns every approved account: its "
                    "credentials are held by the communications office, two-factor "
                    "authentication is switched on, and access is removed the day a manager of "
                    "the account leaves their role. Unapproved accounts will be closed or "
                    "transferred."
                ),
            ),
            OptionText(
                key="department-accounts",
                label="Departments may run accounts after approval and training",
                text=(
                    "A department may run an account in {organization}'s name after "
                    "{contact_name} approves a short plan (purpose, audience, who posts, how "
                    "often, who answers messages) and everyone who posts has completed social "
                    "media training. The department manager is accountable for the account. "
                    "The communications office keeps a list of approved accounts and a copy of "
                    "their credentials, may review them at any time, and closes accounts that "
                    "are inactive for six months."
                ),
            ),
            OptionText(
                key="register",
                label="Register every account; no prior approval",
                text=(
                    "Anyone creating an account that uses {organization}'s name or logo must "
                    "register it with {contact_name} ({contact_email}) before the first post, "
                    "giving its address and the people who manage it. Registered accounts follow "
                    "this policy and the brand guidelines, use two-factor authentication, and "
                    "share their credentials with the communications office. Unregistered "
                    "accounts will be closed."
                ),
            ),
        ),
    ),
    ClauseText(
        key="patients-online",
        title="Interacting with patients online",
        explanation=(
            "A friendly reply to a patient's message can turn into clinical advice given without "
            "an examination, without the chart and in public. Connecting with patients on "
            "personal accounts blurs the professional boundary and exposes both of you. Choose "
            "where staff may talk with patients and how far they may go."
        ),
        options=(
            OptionText(
                key="no-personal-contact",
                label="No personal connections, no clinical advice (recommended)",
                is_default=True,
                text=(
                    "Do not send or accept friend or follow requests from current or former "
                    "patients or their families on personal accounts, and do not contact "
                    "patients through social media. Never give clinical advice, diagnoses or "
                    "treatment suggestions on social media, even when asked directly. If a "
                    "patient contacts you online, reply only to direct them to "
                    "{organization}'s patient portal, their care team or the main telephone "
                    "line, and tell them that in "
                    "an emergency they should call 911 or go to the nearest emergency "
                    "department."
                ),
            ),
            OptionText(
                key="official-channels-general",
                label="Official channels may give general information only",
                text=(
                    "Staff who run {organization}'s official accounts may answer general "
                    "questions with general information, such as opening hours, how to book an "
                    "appointment or a link to published health information. They never give "
                    "advice about a person's own symptoms, test results or treatment, and move "
                    "any conversation about a person's care to a secure channel such as the "
                    "patient portal. On personal accounts, staff do not friend, follow or "
                    "message patients and never give clinical advice."
                ),
            ),
            OptionText(
                key="existing-relationships",
                label="Existing personal relationships allowed, care never discussed",
                text=(
                    "Do not start connections with patients on personal accounts. Where a "
                    "friendship or family tie existed before the person became a patient, it "
                    "may continue, but their care, visits and health are never discussed on "
                    "social media, including in private messages. No one at {organization} "
                    "gives clinical advice through social media; people asking for it are "
                    "directed to the patient portal or their care team, and in an emergency to "
                    "911."
                ),
            ),
        ),
    ),
    ClauseText(
        key="reviews",
        title="Responding to online reviews",
        explanation=(
            "Replying to a review can breach HIPAA even when the reviewer has already told their "
            "own story: confirming that someone is a patient, or correcting their account with "
            "details of their care, discloses PHI. Regulators have fined providers for exactly "
            "this. Whatever option you choose, a reply never confirms or denies that the reviewer "
            "is or was a patient."
        ),
        options=(
            OptionText(
                key="standard-reply",
                label="A standard reply that confirms nothing (recommended)",
                is_default=True,
                text=(
                    "Only people authorized by {contact_name} reply to reviews of "
                    "{organization}. Replies never confirm or deny that the reviewer is or was a "
                    "patient, and never mention a visit, a treatment, a date or anything else "
                    "about their care, even if the reviewer has described it. Use a standard "
                    "reply such as: 'Thank you for your feedback. We take every concern "
                    "seriously and would welcome the chance to talk. Please contact our patient "
                    "experience team at {contact_email}.' Never argue, never offer compensation "
                    "in public, and never ask a reviewer to remove a review."
                ),
            ),
            OptionText(
                key="no-public-reply",
                label="No public replies; follow up privately",
                text=(
                    "{organization} does not reply publicly to online reviews of its care. The "
                    "communications office monitors review sites and passes concerns to the "
                    "patient-experience team, which follows up through its usual channels when "
                    "the person can be identified from a complaint made to us directly. No one "
                    "confirms or denies online that a reviewer is or was a patient. Staff do not "
                    "reply to reviews from personal accounts."
                ),
            ),
            OptionText(
                key="personal-reply-no-phi",
                label="Personal replies by the patient-experience team, without PHI",
                text=(
                    "The patient-experience team replies to reviews of {organization} within "
                    "two working days, in a personal tone but without any protected health "
                    "information: a reply never confirms or denies that the reviewer is or was a "
                    "patient and never refers to a visit, a clinician's notes or a treatment. "
                    "Every reply invites the person to continue the conversation privately at "
                    "{contact_email}. Replies to negative reviews are read by a second person "
                    "before they are posted. Staff never reply from personal accounts."
                ),
            ),
        ),
    ),
    ClauseText(
        key="confidentiality",
        title="Confidential and proprietary information",
        explanation=(
            "Beyond patient information, some of what staff know at work is not for the "
            "public: security arrangements, incidents under investigation, contracts, "
            "unannounced news. The law also protects employees' right to talk about their pay "
            "and working conditions, so the policy must not forbid that."
        ),
        options=(
            OptionText(
                key="no-internal-information",
                label="No internal information and no photos in clinical areas",
                is_default=True,
                text=(
                    "Do not post {organization}'s confidential or proprietary information: "
                    "security arrangements, incidents and investigations, legal matters, "
                    "contracts, research not yet published, or news not yet announced. Do not "
                    "take photos or video in patient-care areas, and do not post images of "
                    "badges, screens, documents or restricted areas. Respect copyright and "
                    "trademarks, including {organization}'s logo. This does not limit your right "
                    "to discuss wages, hours or other terms and conditions of employment, as "
                    "Section 7 of the National Labor Relations Act protects."
                ),
            ),
            OptionText(
                key="approved-photos",
                label="Confidential information protected; photos where approved",
                text=(
                    "Do not post {organization}'s confidential or proprietary information, such "
                    "as security arrangements, investigations, contracts, unpublished research or "
                    "unannounced news. Photos and video may be taken in non-clinical areas, and "
                    "in clinical areas only with approval from {contact_name}, when no patient, "
                    "visitor, screen, chart, whiteboard or badge can be seen. This does not limit "
                    "your right to discuss wages, hours or other terms and conditions of "
                    "employment, as Section 7 of the National Labor Relations Act protects."
                ),
            ),
        ),
    ),
    ClauseText(
        key="consequences",
        title="Consequences and reporting",
        explanation=(
            "A policy needs to say what happens when it is broken and how to report a problem. "
            "Quick reporting limits the harm of a breach: a post removed within minutes reaches "
            "far fewer people. HIPAA's breach notification rule sets deadlines once a breach is "
            "discovered, so people must know whom to tell."
        ),
        options=(
            OptionText(
                key="progressive",
                label="Handled under the usual disciplinary policy",
                is_default=True,
                text=(
                    "Breaking this policy may lead to disciplinary action under {organization}'s "
                    "human-resources policies, from coaching to dismissal depending on the harm "
                    "done, and a disclosure of PHI may also carry personal legal consequences. "
                    "If you see a post that may break this policy, including your own, report it "
                    "at once to {contact_name} ({contact_email}); do not share, comment on or "
                    "screenshot it. Reporting in good faith is never held against you, and "
                    "{organization} does not retaliate against anyone who reports a concern."
                ),
            ),
            OptionText(
                key="zero-tolerance-phi",
                label="Zero tolerance for PHI disclosures",
                text=(
                    "Any disclosure of protected health information on social media is a serious "
                    "breach and may lead to dismissal on the first occasion; other breaches of "
                    "this policy are handled under {organization}'s disciplinary policy. "
                    "Possible breaches are investigated by the privacy office and, where the law "
                    "requires, reported to the patients affected and to regulators. Report a "
                    "post that may break this policy at once to {contact_name} "
                    "({contact_email}). {organization} does not retaliate against anyone who "
                    "reports a concern in good faith."
                ),
            ),
            OptionText(
                key="education-first",
                label="Education first, discipline for repeated or serious breaches",
                text=(
                    "A first, minor breach of this policy is usually met with a conversation and "
                    "further training; repeated or serious breaches, and any disclosure of "
                    "protected health information, are handled under {organization}'s "
                    "disciplinary policy and may lead to dismissal. Report a post that may break "
                    "this policy, including your own, to {contact_name} ({contact_email}) as "
                    "soon as you notice it, so it can be taken down quickly. {organization} does "
                    "not retaliate against anyone who reports a concern in good faith."
                ),
            ),
        ),
    ),
)


@transaction.atomic
def clauses_load(*, update: bool = False) -> int:
    """Put the project's clause set into the database; returns how many clauses and options were
    created (0 when everything is already there). Existing clauses and options are kept as staff
    left them unless ``update`` is true, which restores the project's text and order."""
    from .models import PolicyClause, PolicyOption

    created = 0
    for position, clause_text in enumerate(CLAUSES, start=1):
        fields = {
            "title": clause_text.title,
            "explanation": clause_text.explanation,
            "position": position * 10,
            "is_required": clause_text.is_required,
        }
        clause = PolicyClause.objects.filter(key=clause_text.key).first()
        if clause is None:
            clause = PolicyClause.objects.create(key=clause_text.key, **fields)
            created += 1
        elif update:
            PolicyClause.objects.filter(pk=clause.pk).update(**fields, is_active=True)
        existing = {option.key: option for option in clause.options.all()}
        for option_position, option_text in enumerate(clause_text.options, start=1):
            option_fields = {
                "label": option_text.label,
                "text": option_text.text,
                "position": option_position * 10,
                "is_default": option_text.is_default,
            }
            if option_text.key not in existing:
                PolicyOption.objects.create(clause=clause, key=option_text.key, **option_fields)
                created += 1
            elif update:
                PolicyOption.objects.filter(pk=existing[option_text.key].pk).update(**option_fields)
    return created
