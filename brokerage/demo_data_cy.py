"""The demo region's content in Welsh, beside the English of demo_data.

Keyed by the English it translates (a name, a title, an acronym), so the two
files can be read side by side. The four Welsh consortia's programmes and
offers have Welsh versions, and so do the maths teaching centre's; the other
South West programmes stay English only, so the Welsh pages show how a
missing Welsh version falls back to the English.
"""

REGIONS = {
    "Cornwall and the Isles of Scilly": "Cernyw ac Ynysoedd Syllan",
    "Devon": "Dyfnaint",
    "Somerset": "Gwlad yr Haf",
    "Dorset": "Dorset",
    "Wiltshire and Swindon": "Wiltshire a Swindon",
    "Bristol and the West of England": "Bryste a Gorllewin Lloegr",
    "Gloucestershire": "Swydd Gaerloyw",
    "North Wales": "Gogledd Cymru",
    "South West and Mid Wales": "De-orllewin a Chanolbarth Cymru",
    "Central South Wales": "Canol De Cymru",
    "South East Wales": "De-ddwyrain Cymru",
}

# The areas an offer's regional runs are named after (brokerage.demo: ENGLAND_AREAS, WALES_AREAS).
AREAS = {
    "Devon and Cornwall": "Dyfnaint a Chernyw",
    "Somerset and Dorset": "Gwlad yr Haf a Dorset",
    "Bristol, Gloucestershire and Wiltshire": "Bryste, Swydd Gaerloyw a Wiltshire",
    "North Wales": "Gogledd Cymru",
    "South West and Mid Wales": "De-orllewin a Chanolbarth Cymru",
    "South East and Central South Wales": "De-ddwyrain a Chanol De Cymru",
}

THEMES = {
    # English name: (Welsh name, Welsh description)
    "Maths and numeracy": ("Mathemateg a rhifedd", "Addysgu mathemateg yn dda, o rifedd bob dydd i TGAU."),
    "English, ESOL and literacy": (
        "Saesneg, ESOL a llythrennedd",
        "Darllen, ysgrifennu, siarad, a Saesneg i siaradwyr ieithoedd eraill.",
    ),
    "Digital learning": ("Dysgu digidol", "Defnyddio technoleg i addysgu, asesu a chefnogi dysgwyr."),
    "SEN and disabilities": (
        "ADY ac anableddau", "Cefnogi dysgwyr ag anghenion dysgu ychwanegol (ADY) ac anableddau.",
    ),
    "Behaviour and engagement": ("Ymddygiad ac ymgysylltu", "Dosbarthiadau tawel a phwrpasol, a dysgwyr brwd."),
    "Assessment for learning": ("Asesu ar gyfer dysgu", "Adborth ac asesu sy'n symud y dysgu yn ei flaen."),
    "Leadership": ("Arweinyddiaeth", "Arwain timau, adrannau a sefydliadau."),
    "Support-staff development": ("Datblygu staff cymorth", "Cynorthwywyr addysgu, cymorth dysgu a thechnegwyr."),
    "Workload and wellbeing": ("Llwyth gwaith a llesiant", "Llwyth gwaith cynaliadwy a llesiant staff."),
    "Curriculum reform": ("Diwygio'r cwricwlwm", "Cymwysterau, fframweithiau a chwricwla newydd."),
    "Post-16 and adult learning": (
        "Ôl-16 a dysgu oedolion", "Addysg bellach, y chweched dosbarth a dysgu oedolion yn y gymuned.",
    ),
    "Research and evidence": ("Ymchwil a thystiolaeth", "Defnyddio ymchwil, a gwneud ymchwil, i wella ymarfer."),
}

AUDIENCES = {
    "Teachers": "Athrawon",
    "FE lecturers and tutors": "Darlithwyr a thiwtoriaid AB",
    "Teaching assistants and support staff": "Cynorthwywyr addysgu a staff cymorth",
    "Leaders and managers": "Arweinwyr a rheolwyr",
    "Governors": "Llywodraethwyr",
    "CPD leads": "Arweinwyr DPP",
    "Early-years staff": "Staff y blynyddoedd cynnar",
}

# Words Welsh schools use for the same thing; coordinators edit them in the admin like the English ones.
SEARCH_SYNONYMS = [
    ("mathemateg, rhifedd", "Mae ysgolion yn sôn am fathemateg a rhifedd fel un maes."),
    ("DPP, dysgu proffesiynol, datblygiad proffesiynol",
     "Dysgu proffesiynol yw'r enw a ddefnyddir bellach am DPP yng Nghymru."),
    ("ANG, athrawon newydd gymhwyso, athrawon newydd, athrawon gyrfa gynnar",
     "Athrawon yn eu blynyddoedd cyntaf."),
    ("llesiant, lles, iechyd meddwl", "Llesiant staff a dysgwyr."),
    ("awtistiaeth, awtistig", "Awtistiaeth a dysgwyr awtistig."),
    ("marcio, adborth", "Adborth ysgrifenedig yw marcio."),
    ("rhieni, teuluoedd, gofalwyr", "Y bobl gartref."),
    ("pennaeth, penaethiaid, prifathro, prifathrawes, prifathrawiaeth", "Arwain ysgol."),
]

GLOSSARY = {
    # English acronym: (Welsh acronym or "" to keep the English one, Welsh meaning, Welsh explanation)
    "ACL": ("", "Dysgu Oedolion yn y Gymuned",
            "Dysgu i oedolion a gynhelir gan awdurdodau lleol a sefydliadau cymunedol."),
    "AfL": ("", "Asesu ar gyfer Dysgu",
            "Defnyddio asesu ac adborth bob dydd i gynllunio cam nesaf y dysgu."),
    "ALN": ("ADY", "Anghenion Dysgu Ychwanegol",
            "Y term Cymraeg am ddysgwyr sydd angen cymorth ychwanegol i ddysgu."),
    "CETT": ("", "Canolfan Ragoriaeth mewn Hyfforddi Athrawon",
             "Partneriaeth ranbarthol sy'n datblygu hyfforddiant athrawon addysg bellach."),
    "CPD": ("DPP", "Datblygiad Proffesiynol Parhaus",
            "Dysgu sy'n cadw sgiliau staff yn gyfredol drwy gydol eu gyrfa; yng Nghymru, dysgu proffesiynol."),
    "CSC": ("CCD", "Consortiwm Canolbarth y De",
            "Y gwasanaeth gwella ysgolion ar gyfer pum awdurdod lleol yng Nghanol De Cymru."),
    "DTLLS": ("", "Diploma mewn Addysgu yn y Sector Dysgu Gydol Oes",
              "Y cymhwyster addysgu llawn i athrawon addysg bellach."),
    "EAS": ("GCA", "Gwasanaeth Cyflawni Addysg", "Y gwasanaeth gwella ysgolion ar gyfer De-ddwyrain Cymru."),
    "ERW": ("ERW", "Ein Rhanbarth ar Waith", "Consortiwm awdurdodau lleol De-orllewin a Chanolbarth Cymru."),
    "ESOL": ("", "Saesneg i Siaradwyr Ieithoedd Eraill",
             "Dosbarthiadau Saesneg i oedolion nad Saesneg yw eu hiaith gyntaf."),
    "Estyn": ("", "Estyn (arolygiaeth addysg Cymru)",
              "Y corff sy'n arolygu ysgolion, colegau a hyfforddiant yng Nghymru."),
    "FE": ("AB", "Addysg Bellach", "Addysg ar ôl yr ysgol i bobl 16 oed a hŷn, mewn colegau gan amlaf."),
    "FSSP": ("", "Rhaglen Cymorth Sgiliau Gweithredol",
             "Cymorth cenedlaethol i addysgu sgiliau ymarferol Saesneg, mathemateg a TGCh."),
    "GCSE": ("TGAU", "Tystysgrif Gyffredinol Addysg Uwchradd",
             "Y prif gymhwyster a sefir yn 16 oed yng Nghymru a Lloegr."),
    "GwE": ("GwE", "Gwasanaeth Effeithiolrwydd", "Y gwasanaeth gwella ysgolion ar gyfer Gogledd Cymru."),
    "HLTA": ("CALU", "Cynorthwyydd Addysgu Lefel Uwch",
             "Cynorthwyydd addysgu sydd wedi cyrraedd y safonau cenedlaethol i arwain dysgu."),
    "IfL": ("", "Sefydliad Dysgu", "Y corff proffesiynol i athrawon a hyfforddwyr addysg bellach."),
    "ILP": ("CDU", "Cynllun Dysgu Unigol", "Cynllun dysgwr o'i nodau a'r camau i'w cyrraedd."),
    "ILT": ("", "Technoleg Gwybodaeth a Dysgu", "Technoleg a ddefnyddir i gefnogi addysgu a dysgu."),
    "ITE": ("AGA", "Addysg Gychwynnol Athrawon", "Hyfforddiant sy'n arwain at gymhwyster addysgu cyntaf."),
    "LSIS": ("", "Gwasanaeth Gwella Dysgu a Sgiliau",
             "Y corff cenedlaethol a gefnogai wella ym maes addysg bellach."),
    "NCETM": ("", "Canolfan Genedlaethol Rhagoriaeth mewn Addysgu Mathemateg",
              "Y ganolfan genedlaethol sy'n cefnogi addysgu mathemateg."),
    "NPQH": ("CPCP", "Cymhwyster Proffesiynol Cenedlaethol ar gyfer Prifathrawiaeth",
             "Y cymhwyster i'r rhai sy'n anelu at fod yn benaethiaid."),
    "NQT": ("ANG", "Athro Newydd Gymhwyso", "Athro yn ei flwyddyn gyntaf ar ôl cymhwyso."),
    "Ofsted": ("", "Swyddfa Safonau mewn Addysg", "Yr arolygiaeth addysg a hyfforddiant yn Lloegr."),
    "PTLLS": ("", "Paratoi i Addysgu yn y Sector Dysgu Gydol Oes", "Cymhwyster addysgu rhagarweiniol byr."),
    "QTLS": ("", "Statws Athro Cymwysedig mewn Dysgu a Sgiliau",
             "Statws proffesiynol i athrawon addysg bellach."),
    "RSC": ("", "Canolfan Gymorth Ranbarthol",
            "Y ganolfan ranbarthol sy'n cynghori darparwyr ar dechnoleg dysgu."),
    "SEN": ("AAA", "Anghenion Addysgol Arbennig",
            "Anawsterau dysgu neu anableddau sy'n gwneud dysgu'n anoddach; ADY yw'r term yng Nghymru bellach."),
    "SENCO": ("CAAA", "Cydlynydd Anghenion Addysgol Arbennig",
              "Yr aelod o staff sy'n cydlynu'r cymorth i ddysgwyr ag AAA; yng Nghymru, y cydlynydd ADY."),
    "SfL": ("", "Sgiliau Bywyd", "Y strategaeth genedlaethol ar gyfer llythrennedd, iaith a rhifedd oedolion."),
    "TA": ("", "Cynorthwyydd Addysgu", "Aelod o staff sy'n cefnogi athrawon a dysgwyr yn y dosbarth."),
    "VLE": ("ADRh", "Amgylchedd Dysgu Rhithwir", "Gofod ar-lein ar gyfer deunyddiau cwrs, gweithgareddau ac asesu."),
    "WBL": ("DSW", "Dysgu Seiliedig ar Waith", "Dysgu sy'n digwydd yn y gweithle yn bennaf, fel prentisiaethau."),
}

PROGRAMMES = {
    # Programme acronym: (Welsh plain name, Welsh summary). Programmes not named here stay English only.
    "NCETM": ("Datblygu addysgu mathemateg",
              "Cymorth i bawb sy'n addysgu mathemateg, o rifedd cynradd i ailsefyll TGAU mewn colegau."),
    "FWP": ("Adborth heb gostio'r ddaear",
            "Y pedwar consortiwm yn cydweithio ar adborth effeithiol gyda llwyth gwaith hylaw."),
    "LDP": ("Datblygu arweinyddiaeth yng Nghymru",
            "Datblygiad i arweinwyr canol, uwch arweinwyr a darpar benaethiaid ledled Cymru."),
    "RRP": ("Recriwtio a chadw staff gwych",
            "Help ymarferol i ysgolion recriwtio, cynefino a chadw athrawon a staff cymorth."),
    "SIP": ("Partneriaethau gwella ysgolion", "Partneriaethau ysgol-i-ysgol sy'n rhannu'r hyn sy'n gweithio."),
    "CommsP": ("Siarad â rhieni a chymunedau",
               "Helpu ysgolion i gyfathrebu'n glir â theuluoedd, llywodraethwyr a chymunedau."),
    "P16": ("Dysgu ôl-16 yng Nghymru",
            "Ysgolion a cholegau'n cydweithio ar y chweched dosbarth a dysgu ôl-16."),
    "CfW": ("Cymorth Cwricwlwm i Gymru",
            "Cymorth i lunio eich cwricwlwm eich hun o dan y Cwricwlwm i Gymru newydd."),
    "ResP": ("Ymchwil ac ymholi mewn ysgolion",
             "Helpu athrawon i ddefnyddio ymchwil a chynnal eu hymholiadau bach eu hunain."),
    "PLP": ("Dysgu proffesiynol i'r holl staff",
            "Dysgu proffesiynol ar y cyd i athrawon a staff cymorth ar draws y pedwar consortiwm."),
}

# The Welsh consortia's regional workers (brokerage.demo: workers): job titles keyed by the English,
# and the remit the demo writes for each, with the area's and programmes' Welsh names filled in.
# "ledled" and a list after a colon leave the names unmutated.
WORKER_JOB_TITLES = {"Regional adviser": "Ymgynghorydd rhanbarthol", "Regional trainer": "Hyfforddwr rhanbarthol"}
WORKER_REMIT = (
    "Rwy'n helpu darparwyr ledled {area} i ddod o hyd i gymorth a'i gynllunio. Fy rhaglenni: {programmes}. "
    "Gofynnwch i mi beth sy'n addas i'ch staff, am gyllid, ac am sut mae ein cynigion yn cyd-fynd â rhai eraill."
)

OFFERS = {
    # English title (without its area): (Welsh title, summary, description). Offers not named here stay English only.
    "Maths subject knowledge for primary teachers": (
        "Gwybodaeth bynciol mathemateg i athrawon cynradd",
        "Cwrs tymor o hyd sy'n magu hyder gyda'r fathemateg y tu ôl i'r cwricwlwm cynradd, gyda thasgau "
        "i'w gwneud yn eich dosbarth eich hun rhwng sesiynau.",
        "Chwe sesiwn ar ôl ysgol gyda thasgau dosbarth rhyngddynt. Yn addas i athrawon newydd gymhwyso (ANG) "
        "ac i athrawon profiadol fel ei gilydd.",
    ),
    "Teaching GCSE maths resits in FE": (
        "Addysgu ailsefyll TGAU mathemateg mewn AB",
        "Strategaethau ymarferol i ddysgwyr sy'n ailsefyll TGAU mathemateg mewn colegau AB: canfod y bylchau, "
        "magu hyder a chynllunio cyrsiau byr.",
        "Dan arweiniad arbenigwyr mathemateg AB. Yn cynnwys pecyn adnoddau a galwad hyfforddi i ddilyn.",
    ),
    "Maths mastery work group": (
        "Grŵp gwaith meistrolaeth mathemateg",
        "Ymunwch â grŵp lleol o ysgolion sy'n cyfarfod drwy'r flwyddyn i roi cynnig ar addysgu ar gyfer "
        "meistrolaeth a rhannu'r hyn sy'n gweithio.",
        "Dan arweiniad athro arweiniol lleol; pum cyfarfod ac ymweliadau â dosbarthiadau.",
    ),
    "Numeracy for teaching assistants": (
        "Rhifedd i gynorthwywyr addysgu",
        "Helpu cynorthwywyr addysgu a CALU i gefnogi dysgwyr yn hyderus gyda rhif, ffracsiynau a mathemateg "
        "bob dydd.",
        "Tair sesiwn hanner diwrnod gyda gweithgareddau ymarferol i'w defnyddio yn y dosbarth.",
    ),
    # Feedback and workload
    "Feedback that moves learning on": (
        "Adborth sy'n symud y dysgu yn ei flaen",
        "Dulliau adborth ar sail tystiolaeth sy'n gwneud gwahaniaeth i ddysgwyr heb ragor o farcio.",
        "Dwy sesiwn gyda thasg ymholi rhyngddynt.",
    ),
    "Marking policy review toolkit": (
        "Pecyn adolygu polisi marcio",
        "Pecyn cymorth a sesiwn wedi'i hwyluso i adolygu polisi marcio eich ysgol gan gadw llwyth gwaith mewn cof.",
        "I uwch arweinwyr a phenaethiaid adran.",
    ),
    "Peer and self-assessment in practice": (
        "Asesu gan gyfoedion a hunanasesu yn ymarferol",
        "Arferion dosbarth ar gyfer asesu gan gyfoedion a hunanasesu sy'n gweithio gyda dysgwyr iau a hŷn.",
        "Gweithdy ymarferol gydag enghreifftiau ar fideo.",
    ),
    "Workload charter network": (
        "Rhwydwaith y siarter llwyth gwaith",
        "Ysgolion sy'n gweithio i'r siarter llwyth gwaith yn dod at ei gilydd i rannu'r hyn a leihaodd "
        "lwyth gwaith staff.",
        "Cyfarfodydd bob tymor ar draws y pedwar consortiwm.",
    ),
    # Leadership development
    "Middle leadership programme": (
        "Rhaglen arweinyddiaeth ganol",
        "Rhaglen blwyddyn i benaethiaid adran ac arweinwyr canol eraill.",
        "Pedwar diwrnod, hyfforddiant unigol a phrosiect gwella ysgol.",
    ),
    "Aspiring head teachers programme": (
        "Rhaglen darpar benaethiaid",
        "Paratoi ar gyfer prifathrawiaeth, yn unol â disgwyliadau'r CPCP yng Nghymru.",
        "Cwrs preswyl, cysgodi pennaeth a chanolfan asesu.",
    ),
    "Coaching for leaders": (
        "Hyfforddi i arweinwyr",
        "Dysgwch sgiliau hyfforddi i ddatblygu eich staff a chi eich hun.",
        "Tri diwrnod dros dymor, gydag ymarfer mewn grwpiau o dri.",
    ),
    "Governor leadership briefing": (
        "Sesiwn friffio arweinyddiaeth i lywodraethwyr",
        "Deall eich rôl fel llywodraethwr wrth wella'r ysgol a dwyn arweinwyr i gyfrif.",
        "Sesiwn friffio gyda'r nos gydag astudiaethau achos.",
    ),
    # Recruitment and retention
    "Induction that keeps new teachers": (
        "Cynefino sy'n cadw athrawon newydd",
        "Cynlluniwch gyfnod cynefino ANG sy'n helpu athrawon newydd i aros a ffynnu.",
        "I diwtoriaid cynefino ac uwch arweinwyr.",
    ),
    "Flexible working in schools": (
        "Gweithio hyblyg mewn ysgolion",
        "Ffyrdd ymarferol o gynnig gweithio hyblyg a rhan-amser heb dorri'r amserlen.",
        "Gydag astudiaethau achos o ysgolion cynradd ac uwchradd.",
    ),
    "Career routes for teaching assistants": (
        "Llwybrau gyrfa i gynorthwywyr addysgu",
        "Helpu cynorthwywyr addysgu a CALU i gynllunio llwybr i addysgu neu i rolau cymorth arbenigol.",
        "Sesiwn wybodaeth ac arweiniad un-i-un.",
    ),
    "Recruiting in rural schools": (
        "Recriwtio i ysgolion gwledig",
        "Rhannu'r hyn sy'n gweithio wrth recriwtio athrawon a staff cymorth i ysgolion gwledig a bach.",
        "Cyfarfod rhwydwaith gyda phecyn cymorth recriwtio.",
    ),
    # School improvement
    "School-to-school improvement partnership": (
        "Partneriaeth gwella ysgol-i-ysgol",
        "Ymunwch ag ysgol sydd wedi datrys problem sy'n eich wynebu chi; bydd hwylusydd yn helpu'r ddwy ysgol "
        "i gynllunio ac adolygu.",
        "Blwyddyn o ymweliadau partneriaeth a phrosiectau ar y cyd.",
    ),
    "Self-evaluation for school improvement": (
        "Hunanwerthuso i wella ysgolion",
        "Gwneud i hunanwerthuso arwain at welliant, yn barod ar gyfer Estyn ac ar gyfer eich cynllunio eich hun.",
        "Dau weithdy gyda thempledi.",
    ),
    "Lesson study groups": (
        "Grwpiau astudio gwersi",
        "Grwpiau bach o athrawon yn cynllunio, addysgu a mireinio gwers gyda'i gilydd ac yn rhannu'r canlyniadau.",
        "Tri chylch drwy'r flwyddyn.",
    ),
    "Data for school improvement": (
        "Data i wella ysgolion",
        "Defnyddio data dysgwyr i weld beth sydd angen ei wella ac a weithiodd y newid.",
        "Gwaith ymarferol gyda data eich ysgol eich hun.",
    ),
    # Communications
    "Talking with parents about learning": (
        "Siarad â rhieni am ddysgu",
        "Ffyrdd ymarferol o gynnwys rhieni a gofalwyr yn nysgu eu plant.",
        "Yn cynnwys templedi iaith glir ar gyfer llythyrau ac adroddiadau.",
    ),
    "Communicating school change": (
        "Cyfathrebu newid yn yr ysgol",
        "Cynllunio sut i egluro newid mawr i staff, rhieni, llywodraethwyr a'r gymuned.",
        "I uwch arweinwyr ac arweinwyr cyfathrebu.",
    ),
    "Welsh-language communications toolkit": (
        "Pecyn cymorth cyfathrebu yn Gymraeg",
        "Templedi a chanllawiau ar gyfer cyfathrebu dwyieithog clir â theuluoedd, i ysgolion cyfrwng Cymraeg "
        "ac ysgolion dwyieithog.",
        "Adnoddau i'w llwytho i lawr a chlinig galw heibio.",
    ),
    "Engaging hard-to-reach families": (
        "Ymgysylltu â theuluoedd anodd eu cyrraedd",
        "Dulliau sy'n meithrin ymddiriedaeth gyda theuluoedd nad ydynt yn ymwneud llawer â'r ysgol.",
        "Gydag astudiaethau achos o ysgolion cymunedol.",
    ),
    # Post-16
    "Joint sixth-form and college planning": (
        "Cynllunio ar y cyd rhwng y chweched dosbarth a'r coleg",
        "Helpu ysgolion a cholegau i gynllunio cyrsiau ôl-16 gyda'i gilydd fel bod gan ddysgwyr ddewis ehangach.",
        "Sesiynau cynllunio wedi'u hwyluso ym mhob ardal.",
    ),
    "Teaching A level and vocational learners together": (
        "Addysgu dysgwyr Safon Uwch a galwedigaethol gyda'i gilydd",
        "Dulliau ar gyfer grwpiau cymysg o ddysgwyr Safon Uwch a dysgwyr galwedigaethol.",
        "Gweithdy i athrawon ôl-16.",
    ),
    "Post-16 learner wellbeing": (
        "Llesiant dysgwyr ôl-16",
        "Cefnogi llesiant ac iechyd meddwl pobl ifanc 16 i 19 oed.",
        "Yn cynnwys llwybrau atgyfeirio a strategaethau ar gyfer y dosbarth.",
    ),
    "Post-16 curriculum network": (
        "Rhwydwaith cwricwlwm ôl-16",
        "Rhwydwaith i arweinwyr ôl-16 rannu newidiadau a chynlluniau ar gyfer y cwricwlwm.",
        "Yn cyfarfod bob hanner tymor.",
    ),
    # Curriculum for Wales
    "Designing your curriculum": (
        "Llunio eich cwricwlwm",
        "Cymorth cam wrth gam i lunio cwricwlwm i'ch ysgol o dan y Cwricwlwm i Gymru.",
        "Pedair sesiwn ac ymweliad gan gyfaill beirniadol.",
    ),
    "Progression and assessment in the new curriculum": (
        "Dilyniant ac asesu yn y cwricwlwm newydd",
        "Cynllunio dilyniant ac asesu sy'n gweddu i'r Cwricwlwm i Gymru.",
        "Gweithdy gydag enghreifftiau.",
    ),
    "Curriculum for Wales for early years": (
        "Y Cwricwlwm i Gymru yn y blynyddoedd cynnar",
        "Beth mae'r cwricwlwm newydd yn ei olygu i leoliadau'r blynyddoedd cynnar a'r cyfnod sylfaen.",
        "Sesiwn ymarferol gydag enghreifftiau o ddysgu drwy chwarae.",
    ),
    "ALN and the new curriculum": (
        "ADY a'r cwricwlwm newydd",
        "Cynllunio dysgu cynhwysol i ddysgwyr ag ADY o fewn eich cwricwlwm newydd.",
        "Gyda phanel sy'n cynnwys cydlynydd AAA a chydlynydd ADY.",
    ),
    # Research
    "Research-informed teaching": (
        "Addysgu wedi'i lywio gan ymchwil",
        "Dod o hyd i ymchwil, ei darllen a'i defnyddio i wella un rhan o'ch addysgu.",
        "Tri gweithdy a grŵp darllen.",
    ),
    "Running a teacher enquiry": (
        "Cynnal ymholiad athro",
        "Cynllunio a chynnal ymholiad bach yn eich dosbarth eich hun, a rhannu'r hyn a ddysgoch.",
        "Gyda mentor dros dymor.",
    ),
    "Research champions network": (
        "Rhwydwaith hyrwyddwyr ymchwil",
        "Rhwydwaith o arweinwyr ymchwil ysgolion sy'n rhannu tystiolaeth ac yn cynllunio ymholiadau ar y cyd.",
        "Yn cyfarfod bob tymor.",
    ),
    "Evidence summaries for busy teachers": (
        "Crynodebau tystiolaeth i athrawon prysur",
        "Crynodebau byr, clir o'r hyn y mae ymchwil yn ei ddweud am gwestiynau cyffredin yn y dosbarth.",
        "Llyfrgell ar-lein a ddiweddarir bob tymor.",
    ),
    # Professional learning
    "Professional learning for teaching assistants": (
        "Dysgu proffesiynol i gynorthwywyr addysgu",
        "Rhaglen i gynorthwywyr addysgu ar gefnogi dysgu, ymddygiad a dysgwyr ag ADY.",
        "Chwe sesiwn drwy'r flwyddyn.",
    ),
    "Positive behaviour in the classroom": (
        "Ymddygiad cadarnhaol yn y dosbarth",
        "Arferion tawel a pherthnasoedd sy'n cefnogi ymddygiad da.",
        "Gweithdy ymarferol i'r holl staff.",
    ),
    "Supporting learners with autism": (
        "Cefnogi dysgwyr awtistig",
        "Deall awtistiaeth ac addasu'r dosbarth fel y gall dysgwyr awtistig ffynnu.",
        "Gydag ymarferwyr a theuluoedd.",
    ),
    "CPD leads network": (
        "Rhwydwaith arweinwyr DPP",
        "Rhannu sut rydych yn cynllunio dysgu proffesiynol i'r holl staff yn eich ysgol.",
        "Rhwydwaith bob tymor ar draws y consortia.",
    ),
}

# The line on who can take an offer up (demo_data.OPEN_TO), for the offers that have a Welsh version.
OPEN_TO_CONDITION = {
    "Funded for maths teachers in colleges and maintained schools":
        "Wedi'i ariannu ar gyfer athrawon mathemateg mewn colegau ac ysgolion a gynhelir",
    "Funded for adult literacy, language and numeracy staff":
        "Wedi'i ariannu ar gyfer staff llythrennedd, iaith a rhifedd oedolion",
    "Funded for staff teaching Functional Skills to learners over 16":
        "Wedi'i ariannu ar gyfer staff sy'n addysgu Sgiliau Hanfodol i ddysgwyr dros 16 oed",
    "For teacher trainers and trainees in the further education sector":
        "Ar gyfer hyfforddwyr athrawon a hyfforddeion yn y sector addysg bellach",
    "Funded for support staff in maintained schools": "Wedi'i ariannu ar gyfer staff cymorth mewn ysgolion a gynhelir",
    "For schools and local authority advisers in Wales": "Ar gyfer ysgolion ac ymgynghorwyr awdurdodau lleol yng Nghymru",
    "Funded for one digital champion per organisation": "Wedi'i ariannu ar gyfer un hyrwyddwr digidol ym mhob sefydliad",
}

FAIRS = {
    # Fair slug: (Welsh title, summary, description)
    "exeter-learning-fair": (
        "Ffair Ddysgu'r De-orllewin: Caerwysg",
        "Cwrdd â gweithwyr rhanbarthol pob rhaglen mewn un digwyddiad, ac archebu cymorthfeydd un-i-un i "
        "gynllunio datblygiad eich staff.",
        "Galwch heibio'r farchnad unrhyw adeg o'r dydd, neu archebwch gymorthfeydd 20 munud i drafod eich "
        "blaenoriaethau gyda'r bobl sy'n rhedeg pob rhaglen. Darperir cinio.",
    ),
    "wales-learning-fair-llandudno": (
        "Ffair Ddysgu ar y Cyd Cymru: Llandudno",
        "Cwrdd â gweithwyr rhanbarthol pob rhaglen mewn un digwyddiad, ac archebu cymorthfeydd un-i-un i "
        "gynllunio datblygiad eich staff.",
        "Galwch heibio'r farchnad unrhyw adeg o'r dydd, neu archebwch gymorthfeydd 20 munud i drafod eich "
        "blaenoriaethau gyda'r bobl sy'n rhedeg pob rhaglen. Darperir cinio.",
    ),
    "regional-workers-network-meeting": (
        "Cyfarfod rhwydwaith y gweithwyr rhanbarthol",
        "Gweithwyr o bob rhaglen yn rhannu eu cylch gwaith a'u cynigion, ac yn gweld lle mae gorgyffwrdd.",
        "",
    ),
}

# A surgery of a programme with a Welsh name: its title and description, filled with the programme's Welsh.
SURGERY_TITLE = "{programme}: cymhorthfa un-i-un"
SURGERY_DESCRIPTION = "{summary} Dewch â'ch blaenoriaethau a byddwn yn cynllunio'r hyn sy'n addas i chi."

BULLETIN = {
    # The sent issue and the draft: title pattern (the month in Welsh is filled in), introduction.
    "sent": (
        "Bwletin ar y cyd: {month}",
        "Croeso i'r bwletin ar y cyd: un neges yn lle llawer. Y mis hwn: cynigion mathemateg a digidol newydd, "
        "ac mae modd archebu lle yn y ffeiriau dysgu.",
    ),
    "draft": (
        "Bwletin ar y cyd: {day}",
        "Y mis hwn: beth sy'n newydd ym mhob rhaglen, a'r ffeiriau dysgu sydd ar y gweill. Archebwch gymhorthfa "
        "i drafod eich cynllun dysgu proffesiynol gyda'r bobl sy'n rhedeg y cynigion.",
    ),
}
