"""The FAQ the assistant starts with, written from what the portal does (README, docs/, the locale
files), and the first synonyms. Installed once into an empty FAQ table (knowledge.ensure_seeded);
after that staff edit the table. Each entry: key, links (url paths), then per language the question,
its variants (other ways people ask) and the answer."""
from __future__ import annotations

# (key, links, {lang: (question, [variants], answer)})
ENTRIES: list[tuple[str, tuple[str, ...], dict[str, tuple[str, list[str], str]]]] = [
    ("report.how", ("report",), {
        "zh": ("怎么上报河道问题？", ["怎么举报", "如何反映河里的垃圾", "在哪里报问题", "发现污染怎么报", "我要举报",
                                 "怎样上报", "河边有垃圾找谁", "看到有人倒垃圾怎么反映"],
               "打开「上报问题」页面（/report）：拍 1–3 张照片，选位置和问题类别（十个大按钮），可以写几句说明，"
               "点提交。提交后你会得到一个 6 位查询码和二维码，用它随时查看处理进度。"),
        "en": ("How do I report a problem on the river?", ["how to report", "where do I report litter",
                                                           "report pollution", "I want to report dumping"],
               "Open “Report a problem” (/report): take 1–3 photos, choose the place and one of the ten "
               "categories, add a few words if you like, and send. You get a 6-character tracking code and a "
               "QR code to follow what happens."),
    }),
    ("report.photos", ("report",), {
        "zh": ("上报要传什么照片？", ["照片格式", "照片传不上去", "可以传几张照片", "手机照片太大", "没有照片能报吗",
                                 "HEIC照片可以吗", "直接拍照可以吗"],
               "每次上报需要 1–3 张照片：JPEG、PNG、WebP 或苹果手机的 HEIC 都可以，也可以直接用相机拍。"
               "每张不超过 20 MB。照片保存时会去掉拍摄设备、位置等隐藏信息，只留一份干净的副本。"),
        "en": ("What photos does a report need?", ["photo format", "photo upload fails", "how many photos",
                                                   "can I report without a photo"],
               "A report needs 1–3 photos: JPEG, PNG, WebP or HEIC, or take one with the camera; up to 20 MB "
               "each. We keep a re-encoded copy without any hidden metadata (device, GPS)."),
    }),
    ("report.location", ("report",), {
        "zh": ("上报时位置怎么定？", ["定位不准", "怎么选位置", "没有GPS怎么办", "位置选错了", "照片没有定位",
                                 "在地图上选点"],
               "系统先看照片里的 GPS；没有的话用手机定位；也可以在河道地图上点选每 100 米一个的公里标记，"
               "或者直接选村（社区）。提交前会显示村名、河道公里数、左右岸和离河的距离，请核对一下。"),
        "en": ("How is the place of a report set?", ["location is wrong", "no GPS", "choose the place on the map"],
               "From the photo's GPS first, else the phone's location; you can also pick a river-km marker (every "
               "100 m) on the map or simply choose a village. Before sending you see the village, river km, bank "
               "and distance from the river."),
    }),
    ("report.categories", ("report",), {
        "zh": ("可以上报哪些问题？", ["问题类别有哪些", "能报什么", "什么问题可以反映", "分类怎么选", "河里有什么问题可以报"],
               "十类：河面漂浮物、岸边垃圾、偷倒垃圾、建筑垃圾、排污口排水、水体异色异味、死鱼、非法捕捞/采砂、"
               "设施损坏、其他。拿不准就选「其他」，写一句说明。"),
        "en": ("What problems can I report?", ["categories", "what can be reported", "which category"],
               "Ten: floating litter, bank litter, illegal dumping, construction waste, sewage outfall, water "
               "colour or smell, dead fish, illegal fishing or sand mining, damaged facilities, other. Unsure? "
               "Choose “other” and add a sentence."),
    }),
    ("privacy.phone", ("report",), {
        "zh": ("我的电话和名字会公开吗？", ["电话会不会被别人看到", "手机号公开吗", "隐私", "名字会不会被知道",
                                   "会不会被报复", "实名吗", "个人信息安全吗", "举报人信息保密吗"],
               "不会公开。姓名和电话都是选填的，默认只给工作人员看，用于回访；选「匿名」则什么都不保存；只有你"
               "自己选「公开姓名」才会显示名字。电话号码在任何公开页面、地图和下载数据里都不会出现。"),
        "en": ("Will my phone number or name be public?", ["is my phone public", "privacy", "is my name shown",
                                                           "anonymous report"],
               "No. Name and phone are optional and by default only staff see them (for a call-back); "
               "“anonymous” stores nothing; only if you choose “public name” is your name shown. A phone "
               "number never appears on any public page, map or download."),
    }),
    ("privacy.anonymous", ("report",), {
        "zh": ("可以匿名上报吗？", ["匿名举报", "不留名字可以吗", "不想留电话", "不留联系方式"],
               "可以。在联系方式里选「匿名」，姓名和电话都不会保存。只是工作人员就没法回访你，请记好查询码，"
               "用它查看进度。"),
        "en": ("Can I report anonymously?", ["anonymous", "without my name", "without a phone number"],
               "Yes: choose “anonymous” and neither name nor phone is stored. Staff then cannot call you back, "
               "so keep your tracking code to follow the report."),
    }),
    ("report.code", ("track",), {
        "zh": ("查询码是什么？", ["查询码在哪", "上报编号", "追踪码", "码是什么意思", "6位码"],
               "提交上报后给你的 6 位码（字母和数字，没有 0、O、1、I、L，念起来不会混），配一个二维码。"
               "它是查看和确认你这条上报的钥匙，只给你，不会出现在公开页面上，请不要发到群里。"),
        "en": ("What is the tracking code?", ["where is my code", "report number", "6 character code"],
               "The 6-character code you get after sending a report (no 0, O, 1, I or L), with a QR code. It is "
               "your key to follow and confirm the report; it never appears on a public page, so keep it to "
               "yourself."),
    }),
    ("report.code_lost", ("track",), {
        "zh": ("查询码忘了怎么办？", ["码丢了", "找不到查询码", "忘记编号", "码没记下来", "查询码弄丢了"],
               "同一个浏览器里刚提交过的话，页面会记得你的码。否则查询码没法在网上找回（它不公开）。"
               "如果你留了电话，工作人员会回访你；也可以说「转人工」，请工作人员帮你查。"),
        "en": ("I lost my tracking code", ["forgot my code", "can't find the code"],
               "The same browser remembers a code it just received. Otherwise the code cannot be recovered "
               "online (it is never public). If you left a phone number staff will call you back; or say "
               "“human” and a person will help."),
    }),
    ("track.how", ("track",), {
        "zh": ("怎么查看我上报的进度？", ["我的举报怎么样了", "处理到哪一步了", "查进度", "怎么查结果", "有没有人处理",
                                 "上报以后怎么跟进", "报了没人管", "查询处理情况"],
               "打开「查进度」页面（/track），输入查询码或扫二维码，就能看到现在处理到哪一步、下一步是什么、"
               "工作人员和处理单位的每一条公开回复和处理后的照片。你也可以直接把查询码发给我。"),
        "en": ("How do I follow my report?", ["what happened to my report", "check progress", "report status"],
               "Open “Follow a report” (/track) and type the code or scan the QR code: where it stands, what "
               "happens next, every public word of staff and the unit, and the after-photo. You can also send "
               "me the code."),
    }),
    ("track.states", ("track",), {
        "zh": ("上报的状态是什么意思？", ["待签收是什么意思", "已派单什么意思", "已办结待核实", "状态说明", "已签收是啥"],
               "待签收：已收到，等工作人员查看；已签收：工作人员接手了；已派单：交给负责的单位；处理中：正在处理；"
               "已办结待核实：单位说处理好了，工作人员在核实；已解决：问题解决了；已关闭（未解决）：关闭了但没算解决，"
               "原因写在处理经过里；重复上报：有人报过，合并处理；已转交其他部门：归别的部门管。"),
        "en": ("What do the report states mean?", ["what does dispatched mean", "state meaning"],
               "Submitted: waiting for staff; signed: staff took it up; dispatched: passed to the unit "
               "responsible; in progress: being handled; resolved: the unit says done, staff are checking; "
               "fixed; closed not fixed (reason in the history); duplicate: handled with an earlier report; "
               "referred: another body is responsible."),
    }),
    ("track.confirm", ("track",), {
        "zh": ("怎么确认问题已经解决？", ["确认已解决", "已经处理好了怎么办", "处理好了要确认吗", "确认修好"],
               "当工作人员或处理单位说已经处理好了，查进度页面会出现「确认已经解决」按钮，你去现场看过没问题就点它。"
               "还没人说处理好的时候不能确认。"),
        "en": ("How do I confirm it is fixed?", ["confirm fixed", "it is done now"],
               "Once staff or the unit say it is done, the status page offers “Confirm it is fixed”: press it "
               "after you have seen it. It is not offered before they say so."),
    }),
    ("track.still_there", ("track",), {
        "zh": ("说解决了但问题还在怎么办？", ["还没处理好", "问题又出现了", "没解决就关了", "垃圾还在", "重新打开",
                                    "处理了又有了"],
               "在查进度页面点「问题还在」，写一句现在的情况（必填），可以再拍张照片。已解决或已关闭的上报会重新打开，"
               "工作人员会再安排处理。"),
        "en": ("They say it is fixed but it is still there", ["still there", "problem came back", "reopen"],
               "On the status page press “Still there”, say what you see (required) and add a photo if you like. "
               "A fixed or closed report reopens and staff arrange the work again."),
    }),
    ("track.rate", ("track",), {
        "zh": ("怎么评价处理结果？", ["满意度评价", "打分", "对处理不满意", "评价处理"],
               "处理结束后，在查进度页面可以选「满意」「基本满意」或「不满意」。评价会计入一屏统揽的满意度统计。"),
        "en": ("How do I rate the handling?", ["rating", "not satisfied with the handling"],
               "Once the report is closed, the status page lets you choose satisfied, basically satisfied or "
               "unsatisfied; ratings count in the overview's satisfaction figures."),
    }),
    ("clocks", ("track",), {
        "zh": ("上报以后多久会处理？", ["多长时间能处理", "几天能解决", "处理时限", "要等多久", "什么时候来处理",
                                 "响应时间", "多久有人管"],
               "每条上报有五个时钟：签收、派单、回访、到场、办结。一般问题的目标是半小时内签收、4 小时内派单、"
               "1 天内回访、3 天内到场、7 天内办结；排污、死鱼、水体异色异味算紧急，半小时内到场、1 天内办结。"
               "超时的会在工作人员的处理台上标红。"),
        "en": ("How soon will my report be handled?", ["how long does it take", "response time", "deadline"],
               "Every report runs five clocks: sign-off, dispatch, call-back, on-site, resolution. Normal targets: "
               "signed within 30 minutes, dispatched within 4 hours, a call-back within a day, on site within 3 "
               "days, resolved within 7. Sewage, dead fish and abnormal colour are urgent: on site within 30 "
               "minutes, resolved within a day. Overdue ones show in red on the desk."),
    }),
    ("urgent", ("report",), {
        "zh": ("紧急情况怎么办？", ["很急", "大量死鱼", "正在偷排", "紧急污染", "有危险", "正在倒垃圾"],
               "正在发生的排污、死鱼、水体变色发臭，请马上上报并选对类别：这几类会按紧急处理（半小时内到场）。"
               "有人身危险或违法行为正在进行，请先拨打 110。"),
        "en": ("What if it is urgent?", ["emergency", "lots of dead fish", "dumping right now"],
               "Report it at once with the right category: sewage, dead fish and abnormal water are urgent (on "
               "site within 30 minutes). If anyone is in danger or a crime is under way, call 110 first."),
    }),
    ("report.who", (), {
        "zh": ("上报以后谁来处理？", ["谁负责处理", "交给哪个部门", "哪个单位管", "谁来管"],
               "联络站工作人员先签收、核实，再按问题类别和所在村派给负责的单位（比如街道城建办、村里）。"
               "单位处理完拍照回复，工作人员核实后才算解决。"),
        "en": ("Who handles my report?", ["which department", "who is responsible"],
               "The liaison station's staff sign for it, check it and dispatch it, by category and village, to "
               "the unit responsible; the unit replies with an after-photo and staff check before it counts "
               "as fixed."),
    }),
    ("report.me_too", ("report", "map"), {
        "zh": ("别人已经报过了还要报吗？", ["我也看到了", "有人报过了", "重复上报", "我也要反映同一个问题", "点我也是"],
               "提交前，系统会列出 250 米内同类、还没处理完的上报和照片。是同一个问题就点「我也看到了」，"
               "支持人数会加一，还可以说现在是还在、更多还是更少了。这样比重复上报处理得更快。"),
        "en": ("Someone already reported it — should I?", ["me too", "same problem reported"],
               "Before sending you see open reports of the same kind within 250 m; if it is the same, press "
               "“me too”: the supporter count grows and you can say whether it is still there, more or less."),
    }),
    ("report.edit", ("track",), {
        "zh": ("提交以后能修改或撤回吗？", ["报错了", "想撤回举报", "修改上报内容", "删除上报", "发错了"],
               "提交以后不能自己修改或删除。要补充情况，可以在查进度页面说明问题还在时附上；报错了请说「转人工」，"
               "工作人员会处理（比如标为无效）。在同一个浏览器里把同样的照片再发一次，不会重复建单，会给你原来的查询码。"),
        "en": ("Can I change or withdraw a report?", ["delete my report", "made a mistake"],
               "Not by yourself once sent. Say “human” and staff will handle it (e.g. close it as invalid). The "
               "same photos sent again from the same browser give the first report's code, not a second report."),
    }),
    ("report.cleaned", ("report",), {
        "zh": ("我自己已经清理了还要报吗？", ["我捡掉了", "自己清理了", "已经收拾了"],
               "欢迎报！上报时勾选「我已经清理了」，这能让大家知道哪里常有垃圾，也记下你的功劳。"),
        "en": ("I already cleaned it up — report anyway?", ["I cleaned it myself"],
               "Yes, please: tick “I already cleaned it up”; it shows where litter keeps coming back."),
    }),
    ("report.off_river", ("report",), {
        "zh": ("不在河边的问题能报吗？", ["离河很远", "不在清溪边", "位置超出范围", "小区里的垃圾"],
               "这里管的是清溪沙柳段和两岸。离河太远或在服务范围外的位置，页面会说明，需要你确认才提交，"
               "工作人员看到会单独标出；不归河道管的事可能转交其他部门。"),
        "en": ("Can I report something away from the river?", ["far from the river", "outside the area"],
               "The portal covers the Qingxi's Shaliu reach and its banks. A place too far from the river is "
               "explained and needs your confirmation; staff see it flagged and may refer it elsewhere."),
    }),
    ("report.free", (), {
        "zh": ("上报要钱吗？要注册吗？", ["要不要注册", "需要账号吗", "收费吗", "要下载APP吗", "要登录吗"],
               "不要钱，不用注册，不用下载 APP，用手机浏览器或扫村里的二维码牌就能上报和查进度。账号只给工作人员、"
               "处理单位和人大代表用。"),
        "en": ("Does it cost anything? Do I need an account?", ["sign up", "need an app", "login"],
               "Free, no account, no app: a phone browser or a QR signboard is enough. Accounts are only for "
               "staff, handling units and deputies."),
    }),
    ("signs", ("report",), {
        "zh": ("河边二维码牌是做什么的？", ["扫码牌", "二维码标牌", "柱子上的二维码", "扫村里的码"],
               "河边和村里的二维码牌扫开就是上报页面，位置已经选好（那个村或那个公里桩），拍照选类别就能提交。"),
        "en": ("What are the QR signboards by the river?", ["QR sign", "scan the sign"],
               "Scanning a signboard opens the report form with its place (village or river-km post) already "
               "chosen: take a photo, choose a category, send."),
    }),
    ("map", ("map",), {
        "zh": ("河道地图上能看到什么？", ["地图怎么看", "看所有上报", "哪里问题多", "地图上的颜色", "查看附近的问题"],
               "「河道地图」（/map）显示沙柳段所有公开的上报：按未处理、已解决、已关闭上色，可以按类别、状态、村和日期筛选，"
               "点一个看它的卡片。默认看最近 180 天，清空日期看全部。地图不显示任何人的名字和电话。"),
        "en": ("What does the river map show?", ["map colours", "where are the problems"],
               "The river map (/map) shows every public report on the Shaliu reach, coloured open / fixed / "
               "closed, with filters by category, state, village and dates, and a card per report. It opens on "
               "the last 180 days. No names or phones."),
    }),
    ("map.public", ("map",), {
        "zh": ("别人能看到我上报的什么？", ["公开哪些信息", "别人能看到我的照片吗", "上报会被公开吗"],
               "公开的只有：问题类别、位置（村、公里数、岸）、状态、支持人数和去掉隐藏信息的照片。"
               "你的姓名（除非你选公开）、电话、查询码和文字说明都不会公开。"),
        "en": ("What of my report can others see?", ["is my report public", "can people see my photo"],
               "Only the category, the place, the state, supporters and metadata-free photos. Your name (unless "
               "you chose public), phone, tracking code and text are not public."),
    }),
    ("downloads", ("downloads",), {
        "zh": ("可以下载上报数据吗？", ["开放数据", "导出数据", "下载CSV", "数据接口"],
               "可以。「数据下载」（/downloads）提供 CSV 和 GeoJSON，不含任何个人信息、查询码和文字说明；"
               "还有 Open311 接口（/open311/v2/）。"),
        "en": ("Can I download the data?", ["open data", "CSV", "API"],
               "Yes: /downloads has CSV and GeoJSON without personal details, codes or free text, and there is "
               "Open311 GeoReport v2 at /open311/v2/."),
    }),
    ("cleanup.what", ("cleanups",), {
        "zh": ("志愿者清理日是什么？", ["清理活动是什么", "捡垃圾活动", "志愿活动", "河道清洁活动", "护河志愿者"],
               "联络站按地图上垃圾最多的河段组织志愿者一起清理。每次有日期、时间、集合点、河段和名额，"
               "在「清理日」页面（/cleanups）报名，结束后公布清理成果。"),
        "en": ("What are volunteer clean-up days?", ["clean up event", "volunteer", "litter picking"],
               "The liaison station organises volunteers to clean the stretches with the most litter. Each day "
               "has a date, meeting point, stretch and places; sign up on /cleanups; results are published after."),
    }),
    ("cleanup.signup", ("cleanups",), {
        "zh": ("清理日怎么报名？", ["怎么参加清理", "报名方法", "我想参加清理活动", "怎么参与志愿活动", "报名要填什么",
                               "带家人一起参加"],
               "在「清理日」页面（/cleanups）选一天，填姓名、电话（不公开）、村，可以带 0–10 位同伴。"
               "报名后得到报名码、二维码、日历文件和一段提醒文字。同一个电话每次活动只能报一次。"),
        "en": ("How do I sign up for a clean-up day?", ["join a clean-up", "register", "bring my family"],
               "On /cleanups choose a day and give your name, phone (never public), village and 0–10 "
               "companions. You get a sign-up code, a QR code, a calendar file and a reminder text. One sign-up "
               "per phone per day."),
    }),
    ("cleanup.cancel", ("cleanups",), {
        "zh": ("报名了去不了怎么取消？", ["取消报名", "不能去了", "退出清理日", "改时间"],
               "打开你的报名页面（报名码或二维码），点取消报名。你的位置会自动让给候补的第一位。"),
        "en": ("How do I cancel my sign-up?", ["can't come", "cancel"],
               "Open your sign-up's page (code or QR) and cancel; the seat goes to the first person waiting."),
    }),
    ("cleanup.waitlist", ("cleanups",), {
        "zh": ("名额满了怎么办？", ["报满了", "候补是什么", "排队等位", "满员了还能报吗"],
               "满了可以排候补，页面会告诉你排第几。有人取消时候补按顺序补上，你的报名页面会显示「已转为正式报名」。"),
        "en": ("The day is full — what now?", ["waitlist", "full"],
               "Join the waitlist; your page shows your place. When someone cancels, the first waiting party "
               "that fits is promoted and their page says so."),
    }),
    ("cleanup.bring", ("cleanups",), {
        "zh": ("参加清理要带什么？", ["要准备什么", "需要带工具吗", "穿什么", "手套要自己带吗"],
               "每个清理日的页面写了要带什么；一般手套、垃圾袋、夹子由联络站提供。请穿防滑鞋，注意水边安全。"),
        "en": ("What should I bring to a clean-up?", ["equipment", "what to wear"],
               "Each day's page lists what to bring; usually gloves, bags and pickers are provided. Wear "
               "non-slip shoes and take care by the water."),
    }),
    ("cleanup.checkin", ("cleanups",), {
        "zh": ("清理当天怎么签到？", ["签到", "到了以后怎么做", "现场签到"],
               "到集合点后把报名页面的二维码给工作人员扫一下，或者报出报名码，就签到了。没报名的也可以现场登记参加。"),
        "en": ("How do I check in on the day?", ["check in"],
               "Show your sign-up page's QR code to staff at the meeting point, or say your code. Walk-ins can "
               "join on the spot."),
    }),
    ("cleanup.results", ("cleanups",), {
        "zh": ("清理成果在哪里看？", ["清了多少垃圾", "清理结果", "捡了多少公斤", "志愿者统计"],
               "每个清理日结束后公布人数、时长、袋数、公斤数、清理河段和照片；「清理日数据」页面（/cleanup-numbers）"
               "有按月、按村的汇总，不显示任何名字和电话。"),
        "en": ("Where are the clean-up results?", ["how much litter", "results"],
               "Each day publishes volunteers, hours, bags, kg, km and photos; /cleanup-numbers sums them by "
               "month and village — never a name or phone."),
    }),
    ("proposal.what", ("proposals",), {
        "zh": ("代表建议是什么？", ["人大代表建议", "建议是什么", "代表提的建议", "议案", "提案"],
               "人大代表就清溪的问题提出建议，交给承办单位办理、答复，代表评价后公开。「代表建议」页面（/proposals）"
               "能看到已公开的建议、答复、进展和评价，以及哪些群众上报支持了它。"),
        "en": ("What are deputies' proposals?", ["proposal", "deputy suggestion"],
               "People's deputies file proposals about the river; a unit handles and answers them, the deputy "
               "evaluates, and they are published on /proposals with answers, progress and the reports "
               "supporting them."),
    }),
    ("proposal.lifecycle", ("proposals",), {
        "zh": ("建议是怎么办理的？", ["建议的流程", "建议多久答复", "交办签收", "建议办理期限", "建议办到哪一步"],
               "流程：提出 → 交办（给承办单位）→ 签收 → 办理（先和代表沟通）→ 答复（A/B/C/D 类）→ 代表评价 → 公开。"
               "办理期限一般是交办后三个月，可以延期一次 1–3 个月。代表不满意会退回重新办理。"),
        "en": ("How is a proposal handled?", ["proposal process", "deadline for proposals"],
               "Filed → assigned to a unit → signed → handling (contact with the deputy first) → answered (class "
               "A/B/C/D) → evaluated by the deputy → published. Three months from assignment, one extension of "
               "1–3 months; an unsatisfied deputy sends it back."),
    }),
    ("proposal.classes", ("proposals",), {
        "zh": ("答复的A类B类是什么意思？", ["A类", "B类", "C类", "D类", "答复分类"],
               "A 类：已解决或基本解决；B 类：正在解决或列入计划解决；C 类：列入计划逐步解决；D 类：因条件限制留作参考。"
               "B、C 类会继续跟踪，直到解决。"),
        "en": ("What do answer classes A/B/C/D mean?", ["class A", "class B"],
               "A: solved or mostly solved; B: being solved or planned; C: planned step by step; D: kept for "
               "reference given constraints. B and C stay tracked until solved."),
    }),
    ("proposal.give", ("proposals",), {
        "zh": ("我有意见怎么向人大代表反映？", ["找代表", "怎么提建议", "老百姓能提建议吗", "向代表反映问题"],
               "群众不能直接在网上提交建议。具体的河道问题请直接上报；想让代表关注的事，可以到代表联络站当面反映，"
               "或说「转人工」留言，工作人员会转给代表。代表可以把你的上报关联到他的建议上。"),
        "en": ("How do I raise something with a deputy?", ["contact a deputy", "make a proposal"],
               "Villagers do not file proposals online. Report concrete problems directly; for a deputy's "
               "attention, visit the liaison station or say “human” to leave a message. Deputies can link your "
               "report to their proposal."),
    }),
    ("station", (), {
        "zh": ("代表联络站是做什么的？", ["联络站", "联络站在哪", "工作人员是谁", "谁在管这个平台", "联系方式"],
               "代表联络站是人大代表联系群众的地方：工作人员签收、派发、跟进大家的上报，组织清理日，"
               "协助代表的建议办理。有事可以说「转人工」，工作人员会在这里回复你。"),
        "en": ("What does the liaison station do?", ["liaison station", "who runs this", "contact"],
               "The deputies' liaison station connects deputies and villagers: its staff sign for, dispatch and "
               "follow your reports, organise clean-up days and support proposals. Say “human” to reach them."),
    }),
    ("river", ("map",), {
        "zh": ("清溪沙柳段是哪一段？", ["清溪在哪", "河道多长", "管哪段河", "书带看", "河的起点"],
               "清溪流经三门县沙柳街道。平台管的是沙柳段：从书带看（0 公里）往下游，地图上还画了上游和感潮河段。"
               "沿线 18 个村（社区），河道位置和村的位置是示意的。"),
        "en": ("Which part of the Qingxi is covered?", ["where is the river", "how long"],
               "The Qingxi through Shaliu subdistrict, Sanmen county: the Shaliu reach from Shudaikan (km 0) "
               "downstream, with the upstream and tidal reaches drawn on the map; 18 villages along it "
               "(positions approximate)."),
    }),
    ("villages", ("map",), {
        "zh": ("沿河有哪些村？", ["哪些村", "村的名单", "我们村在不在", "社区名单"],
               "18 个村（社区）：清溪社区、道岸头村、溪头杨村、沙柳村、坎头杨村、青叶村、下南山村、板樟山村、书带看村、"
               "金板山村、姚家村、曼岙村、南亭村、石马林村、流源村、云溪村、旗门村、船帮里村。问我「某某村这个月怎么样」，"
               "我告诉你那个村的上报情况。"),
        "en": ("Which villages are along the river?", ["village list"],
               "18 villages and communities along the Shaliu reach; ask me “how is <village> this month” for its "
               "reports."),
    }),
    ("language", (), {
        "zh": ("可以用英文吗？", ["切换语言", "英文版", "English"],
               "可以：侧边栏可以切换中文/English，链接后面加 ?lang=en 也行。"),
        "en": ("Can I use Chinese or English?", ["switch language", "Chinese version"],
               "Yes: switch in the sidebar, or add ?lang=zh / ?lang=en to a link."),
    }),
    ("signin", ("signin",), {
        "zh": ("工作人员怎么登录？", ["登录", "忘记密码", "账号", "代表怎么登录"],
               "工作人员、处理单位和代表在「登录」（/signin）用账号登录；账号由管理员邀请开通，首次登录要改密码。"
               "忘记密码请找管理员重置。村民不需要账号。"),
        "en": ("How do staff sign in?", ["login", "forgot password"],
               "Staff, units and deputies sign in at /signin with an account an admin invited; the first sign-in "
               "asks for a new password. Villagers need no account."),
    }),
    ("human", (), {
        "zh": ("怎么找真人工作人员？", ["人工客服", "找工作人员", "联系人工", "我要找人"],
               "说「转人工」就行，我会把你的问题转给联络站工作人员，并给你一个对话码；工作人员回复后，"
               "用对话码回来就能看到（在钉钉群里会直接回复你）。"),
        "en": ("How do I reach a person?", ["talk to staff", "human agent"],
               "Say “human”: I pass your question to the liaison station's staff and give you a conversation "
               "code; come back with it to read their reply (in DingTalk they answer in the chat)."),
    }),
    ("assistant.what", (), {
        "zh": ("你是谁？能做什么？", ["你是机器人吗", "你能回答什么", "怎么用你", "帮助"],
               "我是清溪守护的问答助手：回答怎么上报、隐私、查进度、清理日、代表建议这些常见问题；把查询码发给我，"
               "我告诉你处理到哪了；问「下次清理什么时候」我查最近的清理日。答不了的我会转给工作人员。"),
        "en": ("Who are you? What can you do?", ["are you a robot", "help"],
               "I am Qingxi Guardian's assistant: I answer common questions (reporting, privacy, tracking, "
               "clean-ups, proposals), tell you a report's state from its code and the next clean-up days, and "
               "pass anything else to a person."),
    }),
    ("dingtalk", (), {
        "zh": ("在钉钉群里怎么问？", ["钉钉机器人", "群里@机器人", "在群里问"],
               "在村里的钉钉群里 @清溪守护 机器人，直接打字提问，它会马上回答；转人工后工作人员的回复也会发回群里。"
               "请不要在群里发查询码和电话。"),
        "en": ("How do I ask in the DingTalk group?", ["DingTalk robot"],
               "@-mention the Qingxi Guardian robot in the village group and type your question; a person's "
               "reply after a hand-over comes back to the group. Don't post codes or phone numbers there."),
    }),
    ("dashboard", ("overview",), {
        "zh": ("有没有整体的统计数据？", ["一屏统揽", "统计", "本月处理了多少", "数据看板"],
               "首页有实时数字：未处理的上报、本月解决的、河段长度、沿河村数。工作人员和代表还有「一屏统揽」，"
               "看各时钟的达标率、超时清单和满意度。"),
        "en": ("Are there overall figures?", ["statistics", "dashboard"],
               "The home page shows live counts (open reports, fixed this month, reach length, riverside "
               "villages); staff and deputies have the overview with clocks, overdue list and satisfaction."),
    }),
    ("fishing", ("report",), {
        "zh": ("有人电鱼、偷采砂怎么办？", ["电鱼", "非法捕鱼", "偷挖沙", "毒鱼", "炸鱼"],
               "上报时选「非法捕捞/采砂」，拍照（注意自身安全，不要靠近对峙）。正在发生的违法行为可以同时拨打 110。"),
        "en": ("Someone is electro-fishing or mining sand", ["illegal fishing", "sand mining"],
               "Report it as “illegal fishing / sand mining” with a photo, from a safe distance; call 110 if it "
               "is happening now."),
    }),
    ("sewage", ("report",), {
        "zh": ("发现排污口排黑水怎么办？", ["排污", "污水直排", "黑水", "水发臭", "水变色", "工厂排水"],
               "上报时选「排污口排水」或「水体异色异味」，这两类按紧急处理。尽量拍到排口和水的颜色，位置选准一点。"),
        "en": ("There is sewage coming out of a pipe", ["sewage", "water smells", "black water"],
               "Report “sewage outfall” or “water colour / smell”: both are urgent. Photograph the outfall and the "
               "water, and set the place carefully."),
    }),
    ("facility", ("report",), {
        "zh": ("护栏、台阶坏了能报吗？", ["设施损坏", "栏杆坏了", "步道坏了", "河边灯坏了"],
               "能，选「设施损坏」，拍照写清楚哪里坏了。"),
        "en": ("Can I report a broken railing or steps?", ["damaged facility"],
               "Yes: choose “damaged facility”, with a photo and a word on what is broken."),
    }),
]

SYNONYMS: dict[str, str] = {
    # people's words → the FAQ's words
    "废弃物": "垃圾", "垃圾袋": "垃圾", "塑料瓶": "垃圾", "漂浮物": "垃圾", "脏东西": "垃圾", "杂物": "垃圾",
    "污水": "排污", "黑水": "排污", "臭水": "排污", "排水": "排污", "偷排": "排污", "直排": "排污",
    "参加": "报名", "参与": "报名", "报个名": "报名", "加入": "报名",
    "举报": "上报", "反映": "上报", "投报": "上报", "报告": "上报", "报料": "上报",
    "手机号": "电话", "手机": "电话", "号码": "电话", "联系方式": "电话", "电话号码": "电话",
    "进展": "进度", "情况": "进度", "结果": "进度",
    "清洁": "清理", "捡垃圾": "清理", "打扫": "清理", "保洁": "清理",
    "提案": "建议", "议案": "建议",
    "编号": "查询码", "单号": "查询码", "追踪码": "查询码",
    "多久": "多长时间", "几天": "多长时间",
    "晓得": "知道", "啥": "什么", "咋": "怎么", "咋个": "怎么", "怎个": "怎么", "哪能": "怎么", "伐": "吗",
    "瞎": "乱", "公布": "公开", "泄露": "公开",
    "cleanup": "clean-up", "volunteering": "volunteer", "phone": "phone", "mobile": "phone",
    "complaint": "complain", "status": "progress",
}
