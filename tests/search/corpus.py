"""A Chinese test corpus for the search tests: community-education resources and a query table.

``RESOURCES`` imitates what the Jiangning community-education network publishes: micro-courses,
courseware, school-based textbooks and readers for residents, across the eight categories of the
district plan (smart devices for older people, vocational skills, 三农 training, out-of-school
activities, family education, party history, culture and arts, health), from all ten streets and
the years 2021–2026. Textbooks and readers carry their page texts, and some terms occur only
there. About twenty resources are drafts, submitted or returned, many of them look-alikes of
published titles, so a test can check that nothing hidden is ever found. ``QUERIES`` lists what
people type (words, "phrases", -exclusions, pinyin, initials, typos, place names) with the
resources that must rank in the first five results and those that must never appear.
"""

from typing import Any


def _resource(
    key: str,
    title: str,
    *,
    summary: str,
    tags: list[str],
    kind: str,
    category: str,
    audience: str,
    street: str,
    year: int,
    views: int,
    duration: int | None = None,
    award: str | None = None,
    status: str = "published",
    pages: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "summary": summary,
        "tags": tags,
        "kind": kind,
        "category": category,
        "audience": audience,
        "street": street,
        "year": year,
        "duration": duration,
        "views": views,
        "award": award,
        "status": status,
        "pages": pages if pages is not None else [],
    }


RESOURCES: list[dict[str, Any]] = [
    # 老年教育/智能技术
    _resource(
        "phone-register",
        "智能手机预约挂号入门",
        summary=(
            "手把手教老年人在手机上完成预约挂号：关注医院公众号、选择科室和医生、确认就诊时间，"
            "以及取消预约的方法。"
        ),
        tags=["智能手机", "挂号"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="东山",
        year=2024,
        duration=540,
        views=3620,
        award="一等奖",
    ),
    _resource(
        "phone-register-draft",
        "智能手机挂号（修订草稿）",
        summary="在原微课基础上补充了医院自助机取号的内容，配音和字幕尚在修改中，暂不对外发布。",
        tags=["智能手机", "挂号"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="东山",
        year=2025,
        duration=510,
        views=12,
        status="draft",
    ),
    _resource(
        "hospital-report",
        "手机查看检查报告与在线缴费",
        summary=(
            "看病不用来回排队：教您在医院公众号里查看化验单和检查报告，用医保个人账户在线缴费。"
        ),
        tags=["就医", "手机"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="东山",
        year=2023,
        duration=420,
        views=1450,
    ),
    _resource(
        "fraud-phone-call",
        "老年人防诈骗：识别电话骗局",
        summary=(
            "冒充公检法、冒充子女、谎称发放养老补贴……本课结合江宁公安发布的真实案例，"
            "讲清常见电话骗局的套路和应对口诀。"
        ),
        tags=["防诈骗", "电信诈骗"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="秣陵",
        year=2023,
        duration=760,
        views=4210,
        award="一等奖",
    ),
    _resource(
        "fraud-health-products",
        "防诈骗：警惕保健品骗局",
        summary=(
            "免费体检、赠送鸡蛋、专家讲座，往往是保健品骗局的开场。课程教老人识破“温情营销”，"
            "守住养老钱。"
        ),
        tags=["防诈骗", "保健品"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="麒麟",
        year=2022,
        duration=640,
        views=2380,
    ),
    _resource(
        "fraud-online-investment",
        "防范网络投资理财陷阱",
        summary=(
            "梳理高息理财、虚拟货币、刷单返利等网络投资陷阱的共同特征，"
            "附反诈中心举报渠道和国家反诈中心App的安装步骤。"
        ),
        tags=["反诈", "理财"],
        kind="courseware",
        category="老年教育/智能技术",
        audience="社区居民",
        street="江宁",
        year=2024,
        views=980,
    ),
    _resource(
        "fraud-draft",
        "老年人防诈骗：识别电话骗局（待审）",
        summary="更新了近期出现的AI换脸、换声诈骗案例，等待街道社区教育中心审核后发布。",
        tags=["防诈骗"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="秣陵",
        year=2025,
        duration=780,
        views=5,
        status="submitted",
    ),
    _resource(
        "wechat-video-call",
        "微信视频通话一学就会",
        summary=(
            "想孙子了就打个视频：从通讯录找到联系人、发起视频通话、切换摄像头到挂断，"
            "五分钟就能学会。"
        ),
        tags=["微信", "视频通话"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="淳化",
        year=2022,
        duration=280,
        views=3890,
        award="二等奖",
    ),
    _resource(
        "wechat-video-call-draft",
        "微信视频通话一学就会（退回）",
        summary="评审意见：示范画面中联系人的头像和昵称未做隐私处理，请修改后重新提交。",
        tags=["微信", "视频通话"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="淳化",
        year=2023,
        duration=300,
        views=0,
        status="returned",
    ),
    _resource(
        "wechat-basics",
        "微信添加好友与发送语音消息",
        summary=(
            "通过扫一扫和手机号添加好友，学会按住说话发送语音、把语音转成文字，"
            "以及如何撤回发错的消息。"
        ),
        tags=["微信", "聊天"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="淳化",
        year=2021,
        duration=350,
        views=2760,
    ),
    _resource(
        "wechat-privacy",
        "微信群聊与朋友圈隐私设置",
        summary=(
            "课件讲解群聊消息免打扰、朋友圈三天可见、关闭附近的人等设置，"
            "提醒老人不要随意点开群里的陌生链接。"
        ),
        tags=["微信", "隐私保护"],
        kind="courseware",
        category="老年教育/智能技术",
        audience="老年人",
        street="湖熟",
        year=2023,
        views=860,
    ),
    _resource(
        "mobile-payment",
        "移动支付：扫码付款与收款",
        summary=(
            "在菜场和超市用手机扫码付款，给摊主出示付款码，设置支付密码和小额免密，"
            "看懂每一笔账单明细。"
        ),
        tags=["移动支付", "扫码"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="禄口",
        year=2022,
        duration=460,
        views=3140,
    ),
    _resource(
        "mobile-payment-draft",
        "移动支付：扫码付款（草稿）",
        summary="草稿版本，准备补充数字人民币钱包的开通和使用，片头片尾尚未制作。",
        tags=["移动支付"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="禄口",
        year=2024,
        duration=470,
        views=3,
        status="draft",
    ),
    _resource(
        "mobile-payment-safety",
        "移动支付安全使用手册",
        summary=(
            "校本教材，分章介绍绑定银行卡、支付密码管理、转账核对和被骗后的止付方法，"
            "配有大字版操作截图。"
        ),
        tags=["移动支付", "支付安全"],
        kind="textbook",
        category="老年教育/智能技术",
        audience="老年人",
        street="禄口",
        year=2023,
        views=1320,
        pages=[
            "第一章 绑定银行卡。打开微信或支付宝的钱包页面，选择添加银行卡，按提示输入卡号、"
            "持卡人姓名和银行预留手机号。收到短信验证码后填入，绑定即完成。"
            "建议只绑定一张日常用卡，卡内不要存放大额资金。",
            "第二章 支付密码管理。支付密码为六位数字，不要使用生日、门牌号或连续数字。"
            "不要把密码写在手机壳里，也不要告诉任何人，包括自称银行客服的来电者。开启指纹支付时，"
            "先确认只录入了本人的指纹。",
            "第三章 转账前多核对。给亲友转账前，先打电话或当面确认对方身份，"
            "看清收款人实名的最后一个字。对方说“急用钱”“先转过来再说”时更要警惕。"
            "转账时可以选择两小时后到账，给自己留出反悔的时间。",
            "第四章 被骗后怎么办。发现被骗，第一时间拨打110报警，说明转账时间、金额和对方账号。"
            "同时联系银行申请紧急止付，保存好聊天记录和转账截图。越早报警，追回资金的可能越大。",
        ],
    ),
    _resource(
        "medical-insurance-code",
        "医保电子凭证激活与使用",
        summary=(
            "在微信或医保服务平台中激活医保电子凭证，看病买药时出示二维码结算，"
            "还能为家人添加亲情账户。"
        ),
        tags=["医保电子凭证", "就医"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="江宁",
        year=2023,
        duration=390,
        views=2950,
    ),
    _resource(
        "health-code",
        "健康码与行程卡申领指南",
        summary=(
            "2021年录制：教老年人申领健康码、查看核酸检测结果和疫苗接种记录，"
            "也介绍了没有手机时的替代办法。"
        ),
        tags=["健康码", "疫情防控"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="东山",
        year=2021,
        duration=240,
        views=4870,
    ),
    _resource(
        "taxi-app",
        "打车软件叫车全流程",
        summary=(
            "在打车软件中输入目的地、选择车型、核对车牌号上车，行程结束后支付车费，"
            "并学会一键报警和分享行程。"
        ),
        tags=["打车软件", "出行"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="秣陵",
        year=2024,
        duration=620,
        views=2210,
        award="三等奖",
    ),
    _resource(
        "taxi-app-draft",
        "打车软件叫车全流程（退回修改）",
        summary="评审意见：画面中出现了乘客的手机号码和家庭住址，需要打码处理后重新提交。",
        tags=["打车软件", "出行"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="秣陵",
        year=2024,
        duration=600,
        views=0,
        status="returned",
    ),
    _resource(
        "short-video-editing",
        "短视频拍摄与剪辑入门",
        summary=(
            "用手机拍出稳定的画面，在剪辑软件里加字幕、配音乐，"
            "把谷里的田园风光做成一条属于自己的短视频。"
        ),
        tags=["短视频", "剪辑"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="谷里",
        year=2024,
        duration=1260,
        views=3560,
    ),
    _resource(
        "short-video-rumor",
        "刷短视频如何辨别谣言",
        summary=(
            "“喝这个能降三高”“某地明天全城停水”……教老人看来源、查权威、问子女，做到不信谣、不传谣。"
        ),
        tags=["短视频", "辨别谣言"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="谷里",
        year=2025,
        duration=510,
        views=1890,
    ),
    _resource(
        "phone-photo",
        "手机拍照构图技巧",
        summary=(
            "三分法、引导线和留白，用手机拍出好看的花草、合影和风景，学会使用人像模式和夜景模式。"
        ),
        tags=["手机拍照", "构图"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="横溪",
        year=2023,
        duration=720,
        views=2470,
    ),
    _resource(
        "phone-large-font",
        "手机字体放大与长辈模式设置",
        summary=(
            "看不清字怎么办？设置系统字体和显示大小，打开常用软件的长辈模式，把常用软件放在第一屏。"
        ),
        tags=["智能手机", "长辈模式"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="麒麟",
        year=2022,
        duration=260,
        views=1980,
    ),
    _resource(
        "phone-basics-book",
        "老年人智能手机使用教程",
        summary=(
            "江宁区老年教育校本教材，从开关机、连接无线网络到拍照、扫码，"
            "循序渐进地讲解智能手机的日常使用。"
        ),
        tags=["智能手机", "老年教育"],
        kind="textbook",
        category="老年教育/智能技术",
        audience="老年人",
        street="东山",
        year=2022,
        views=2630,
        award="一等奖",
        pages=[
            "第一课 认识您的手机。手机侧面通常有电源键和音量键，长按电源键三秒即可开机。"
            "屏幕底部的横条是返回桌面的操作区。初次使用时，请子女帮忙设置好锁屏密码，"
            "并把密码记在家中安全的地方。",
            "第二课 连接无线网络。在家中使用无线网络可以节省流量。打开设置中的无线局域网，"
            "在列表里找到自家的网络名称，输入路由器背面标签上的密码。连接成功后，"
            "屏幕顶部会出现扇形的信号图标。",
            "第三课 打电话和存号码。点开绿色电话图标，输入号码后按拨号键。接到陌生号码来电，"
            "先听清对方身份再说话。把常用联系人存进通讯录，可以备注成“大儿子”“社区医生”，"
            "下次查找更方便。",
            "第四课 用好相机。打开相机后，点击屏幕上想拍的人或物，手机会自动对焦。拍照时双手握稳，"
            "手肘贴近身体。拍好的照片在相册里查看，不满意的可以删除，空间不足时请子女帮忙备份。",
            "第五课 扫一扫。微信和支付宝首页都有扫一扫功能。对准二维码，让它完整出现在取景框里，"
            "手机就能自动识别。扫码点餐、扫码乘车都用这个功能。来历不明的二维码不要扫，"
            "尤其是张贴在电线杆上的。",
            "第六课 常见问题。手机发烫时先停止使用并拔下充电器；声音太小可按音量加键；"
            "误点进广告页面，按返回键退出即可。遇到弹窗要求输入银行卡信息，一律关闭，"
            "及时向家人或社区老师求助。",
        ],
    ),
    _resource(
        "phone-reader",
        "银龄触网：智能技术市民读本",
        summary=(
            "面向全区居民的普及读本，用生活故事讲述老年人如何跨越数字鸿沟，"
            "收录社区志愿者手机课堂的经验。"
        ),
        tags=["智能技术", "市民读本"],
        kind="reader",
        category="老年教育/智能技术",
        audience="社区居民",
        street="江宁",
        year=2025,
        views=1120,
        pages=[
            "七十二岁的王阿姨第一次在手机上给外孙女发视频时，手一直在抖。"
            "社区学校的志愿者没有替她点，而是坐在旁边，一步一步说给她听。三个月后，"
            "她已经能在老年大学的班级群里分享自己拍的晚霞了。",
            "数字鸿沟并不只是会不会用的问题，更多的是敢不敢用。很多老人担心点错了会扣钱，"
            "担心被人笑话。社区课堂的第一条规矩就是：没有笨问题，同一个问题问十遍，"
            "老师也会讲十遍。",
            "东山街道的手机课堂每周二上午开课，志愿者大多是附近高校的大学生。他们总结出“三不”"
            "原则：不代替操作、不用专业术语、不嫌麻烦。学员结业时，要独立完成一次线上缴纳水电费。",
            "学会用智能手机，生活半径就变大了。可以在家预约门诊，可以和远方的老同学视频聊天，"
            "也可以跟着视频学做菜。本读本最后附有全区各街道智能技术培训点的地址和开课时间。",
        ],
    ),
    _resource(
        "online-shopping",
        "网上购物与七天无理由退货",
        summary=(
            "在购物软件里搜索商品、看评价、选尺码，收到货不满意时如何申请退货退款，"
            "避免在直播间冲动消费。"
        ),
        tags=["网上购物", "退换货"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="麒麟",
        year=2023,
        duration=830,
        views=1670,
    ),
    _resource(
        "train-ticket",
        "用手机购买火车票",
        summary=(
            "下载铁路12306，添加乘车人，查询南京南站的车次并选座购票，学会改签、"
            "退票和刷身份证进站。"
        ),
        tags=["铁路12306", "出行"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="禄口",
        year=2024,
        duration=690,
        views=1540,
    ),
    _resource(
        "pension-auth",
        "养老金资格认证刷脸操作",
        summary=(
            "每年一次的养老金待遇资格认证，在家用手机刷脸就能完成。课程演示认证步骤，"
            "并分析常见的认证失败原因。"
        ),
        tags=["社保", "刷脸认证"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="湖熟",
        year=2022,
        duration=330,
        views=2890,
    ),
    _resource(
        "smart-tv",
        "智能电视投屏与点播节目",
        summary="用遥控器找到回看和点播功能，把手机里的照片和视频投屏到电视上，和全家人一起观看。",
        tags=["智能电视", "投屏"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="汤山",
        year=2023,
        duration=480,
        views=1030,
    ),
    _resource(
        "map-navigation",
        "手机地图导航与公交查询",
        summary=(
            "课件演示在地图软件中查询公交和地铁换乘，设置家的位置，步行导航到医院、"
            "菜场等常去的地方。"
        ),
        tags=["地图导航", "公交"],
        kind="courseware",
        category="老年教育/智能技术",
        audience="老年人",
        street="横溪",
        year=2022,
        views=740,
    ),
    _resource(
        "elder-teacher-design",
        "适老化智能技术课程教学设计",
        summary=(
            "面向社区教育教师的课件：如何为老年学员设计小步子、多重复的智能技术课，"
            "附教案模板和课堂评价表。"
        ),
        tags=["教学设计", "适老化"],
        kind="courseware",
        category="老年教育/智能技术",
        audience="社区教育教师",
        street="东山",
        year=2024,
        views=410,
    ),
    _resource(
        "digital-life-book",
        "数字生活十讲：老年人智能技术应用",
        summary=(
            "麒麟街道社区教育中心编写的校本教材，十讲内容覆盖出行、就医、缴费、购物、文娱和安全，"
            "每讲配有课后练习。"
        ),
        tags=["智能技术", "老年教育"],
        kind="textbook",
        category="老年教育/智能技术",
        audience="老年人",
        street="麒麟",
        year=2023,
        views=1760,
        pages=[
            "第一讲 出行。出门前用手机查看天气和公交到站时间，可以少等车。乘坐地铁时，"
            "打开乘车码对准闸机扫码区即可进站。在陌生地方迷路了，打开地图软件点“我的位置”，"
            "把截图发给家人。",
            "第三讲 缴费。水费、电费、燃气费都可以在生活缴费页面完成。第一次缴费需要填写户号，"
            "户号印在纸质账单上。缴费成功后保存电子凭证，月底和纸质账单对照，心里更踏实。",
            "第九讲 文娱。手机里可以听戏曲、读电子书、看老年大学的直播课。"
            "长时间看屏幕容易眼睛干涩，建议每看半小时就远眺休息五分钟，晚上睡前一小时放下手机。",
        ],
    ),
    _resource(
        "phone-faq-reader",
        "智能手机常见问题一百问",
        summary=(
            "以问答形式汇集老年学员最常问的一百个手机问题，按设置、通讯、支付、安全分类，"
            "方便随手查阅。"
        ),
        tags=["智能手机", "常见问题"],
        kind="reader",
        category="老年教育/智能技术",
        audience="老年人",
        street="汤山",
        year=2024,
        views=1390,
        pages=[
            "问：手机总提示内存不足怎么办？答：先清理聊天软件里的文件和缓存，"
            "在设置的存储空间中可以看到占用情况。不常用的软件可以卸载，"
            "照片和视频请子女帮忙备份到电脑后再删除。",
            "问：为什么别人听不到我说话？答：检查是否误点了静音按钮，也可能是手机壳挡住了话筒。"
            "通话时不要用手捂住手机底部，那里通常是话筒的位置。仍然不行，可以重启手机再试一次。",
            "问：收到“您的医保卡即将冻结”的短信怎么办？答：这是典型的诈骗短信。"
            "医保部门不会通过短信让您点链接、填银行卡。直接删除即可，"
            "不放心可以拨打12393医保服务热线核实。",
        ],
    ),
    _resource(
        "voice-input",
        "手机语音输入与语音助手",
        summary=(
            "不会打字也能发消息：用语音输入代替拼音输入，让语音助手帮忙打电话、设闹钟、查天气。"
        ),
        tags=["语音输入", "智能手机"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="淳化",
        year=2025,
        duration=350,
        views=1210,
    ),
    _resource(
        "ai-assistant",
        "人工智能聊天助手初体验",
        summary=(
            "认识人工智能聊天助手能做什么、不能做什么：问菜谱、查政策、写祝福语，"
            "同时提醒不要向它透露身份证号和银行卡信息。"
        ),
        tags=["人工智能", "智能技术"],
        kind="video",
        category="老年教育/智能技术",
        audience="社区居民",
        street="江宁",
        year=2026,
        duration=930,
        views=640,
    ),
    _resource(
        "smart-home-safety",
        "智能家居与独居老人安全监测",
        summary=(
            "烟雾报警器、燃气报警器和智能摄像头如何安装使用，"
            "子女在外地也能通过手机查看独居老人的居家情况。"
        ),
        tags=["智能家居", "居家安全"],
        kind="video",
        category="老年教育/智能技术",
        audience="家长",
        street="秣陵",
        year=2025,
        duration=1020,
        views=720,
    ),
    _resource(
        "gov-service-app",
        "“我的南京”App办事指南",
        summary=(
            "课件演示在“我的南京”App中查询公积金和社保缴纳记录，预约办理居住证，查看水电气账单，"
            "少跑腿多办事。"
        ),
        tags=["政务服务", "我的南京"],
        kind="courseware",
        category="老年教育/智能技术",
        audience="社区居民",
        street="东山",
        year=2024,
        views=1160,
    ),
    # 三农培训
    _resource(
        "tea-planting",
        "茶叶种植技术实用教程",
        summary=(
            "江宁区社区学院组织编写的三农培训教材，讲述茶园选址、品种选择、茶苗栽植、"
            "修剪施肥和绿色防控等技术。"
        ),
        tags=["茶叶种植", "雨花茶"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="江宁",
        year=2023,
        views=2140,
        award="一等奖",
        pages=[
            "第一章 茶园选址。茶树喜温暖湿润，适宜在土层深厚、排水良好的酸性土壤中生长，"
            "土壤酸碱度以四点五到五点五为宜。江宁南部丘陵地带坡度平缓、雾气充足，"
            "是发展茶叶生产的理想区域。",
            "第二章 品种与栽植。本地茶园以适制雨花茶的中小叶种为主。茶苗一般在秋末或早春栽植，"
            "采用双行条栽，行距一米五左右。栽后及时浇足定根水，并在行间铺草保湿，减少杂草滋生。",
            "第三章 采摘时节。春茶按采摘时间分为几个档次，清明节前采制的明前茶芽叶细嫩、香气清高，"
            "品质最佳，价格也最高。清明至谷雨之间采制的称为雨前茶。采摘时要做到提手采，不掐不捋，"
            "保持芽叶完整。",
            "第四章 修剪与施肥。幼龄茶树要进行三次定型修剪，培养宽阔的树冠。"
            "成龄茶园每年春茶结束后轻修剪一次。施肥以有机肥为主，秋季施足基肥，"
            "春茶前追施一次速效氮肥。",
            "第五章 绿色防控。茶园主要害虫有茶小绿叶蝉和茶尺蠖。提倡使用色板诱杀、"
            "杀虫灯诱捕和生物农药，严格遵守农药安全间隔期。采摘前二十天内禁止喷施化学农药，"
            "确保茶叶质量安全。",
        ],
    ),
    _resource(
        "tea-draft",
        "茶叶种植技术实用教程（初稿）",
        summary="教材初稿，章节结构和插图尚未定稿，仅供编写组内部讨论使用，请勿对外转发。",
        tags=["茶叶种植"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="江宁",
        year=2022,
        views=3,
        status="draft",
        pages=[
            "第一章 茶园选址（待补充）。茶树喜温暖湿润的气候，适宜在土层深厚的酸性土壤中生长。"
            "本章需补充江宁南部丘陵地区的土壤调查数据和示范茶园的照片。",
            "第三章 采摘时节（初稿）。春茶中以明前茶品质最好，芽叶细嫩，香气清高，雨前茶次之。"
            "采摘标准和各档次鲜叶的价格区间，请编写组与茶叶合作社核实后补充。",
            "第五章 绿色防控（初稿）。介绍色板、杀虫灯等物理防治方法和生物农药的使用要点。"
            "农药安全间隔期的表格，待与区农业农村局植保站核对后再定稿。",
        ],
    ),
    _resource(
        "tea-picking",
        "雨花茶采摘与手工炒制",
        summary=(
            "跟随黄龙岘的老茶农学习雨花茶的采摘标准，体验杀青、揉捻、搓条、拉条、提毫、"
            "烘干的手工炒制全过程。"
        ),
        tags=["雨花茶", "炒茶"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="江宁",
        year=2022,
        duration=1320,
        views=1780,
    ),
    _resource(
        "huanglongxian-tea",
        "黄龙岘茶文化与乡村旅游",
        summary=(
            "黄龙岘以茶兴村、以茶兴旅。课程介绍茶文化街区的运营经验，"
            "讲解农家乐接待和茶事体验活动的策划方法。"
        ),
        tags=["黄龙岘", "茶旅融合"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="江宁",
        year=2024,
        duration=980,
        views=2010,
    ),
    _resource(
        "strawberry-greenhouse",
        "草莓大棚种植技术",
        summary=(
            "从整地起垄、定植到保温覆膜，讲解草莓大棚的温湿度调控、疏花疏果和授粉蜜蜂的放养，"
            "帮助农户提高坐果率。"
        ),
        tags=["草莓", "大棚种植"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="谷里",
        year=2023,
        duration=1480,
        views=2650,
        award="二等奖",
    ),
    _resource(
        "strawberry-draft",
        "草莓大棚种植技术（送审）",
        summary="送审版本增加了高架基质栽培的内容，等待区农业技术推广中心的专家审核。",
        tags=["草莓", "大棚种植"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="谷里",
        year=2026,
        duration=1500,
        views=4,
        status="submitted",
    ),
    _resource(
        "strawberry-pests",
        "草莓大棚病虫害防治",
        summary=(
            "识别灰霉病、白粉病和红蜘蛛，坚持预防为主，优先采用通风降湿、物理诱杀和生物防治，"
            "减少化学农药使用。"
        ),
        tags=["草莓", "病虫害"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="谷里",
        year=2024,
        duration=870,
        views=1340,
    ),
    _resource(
        "strawberry-picking",
        "草莓采摘园经营与游客服务",
        summary=(
            "课件介绍采摘园的分区设计、线上预约、定价和游客安全管理，"
            "分享谷里街道采摘园节假日的接待经验。"
        ),
        tags=["草莓", "休闲农业"],
        kind="courseware",
        category="三农培训",
        audience="农民",
        street="谷里",
        year=2025,
        views=690,
    ),
    _resource(
        "rice-shrimp",
        "稻虾共养技术要点",
        summary=(
            "讲解环形虾沟开挖、防逃设施建设、虾苗投放和水稻栽插时间的衔接，实现“一水两用、"
            "一田双收”。"
        ),
        tags=["稻虾共养", "小龙虾"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="湖熟",
        year=2023,
        duration=1150,
        views=1960,
        award="三等奖",
    ),
    _resource(
        "rice-shrimp-book",
        "稻虾共养实用技术教程",
        summary=(
            "湖熟街道组织编写的培训教材，系统介绍稻虾共养的田间工程、苗种投放、饲料投喂、"
            "水质调控和捕捞上市。"
        ),
        tags=["稻虾共养", "水产养殖"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="湖熟",
        year=2024,
        views=1120,
        pages=[
            "第一章 田间工程。稻田四周开挖环形虾沟，沟宽三到四米、深一米左右，"
            "沟面积控制在稻田面积的百分之十以内。田埂加高加固，外侧用塑料薄膜围成防逃墙，"
            "进排水口安装密眼网，防止小龙虾外逃和敌害进入。",
            "第二章 苗种投放。虾苗投放分为秋季投放亲虾和春季投放幼虾两种模式。"
            "春季投放宜选择规格均匀、体表光洁、活力强的幼虾，每亩投放量根据上年留存情况确定，"
            "投放前要用田水逐步调温。",
            "第三章 水质调控。养殖期间保持水体透明度在三十到四十厘米，定期加注新水。沟内移栽水草，"
            "水草覆盖率保持在百分之五十左右，既能为小龙虾提供食物，又能在蜕壳时供其隐蔽。",
            "第四章 捕捞上市。小龙虾达到商品规格后，使用地笼捕大留小，轮捕轮放。捕捞宜在清晨进行，"
            "起捕后放入清水中暂养去泥，再按规格分级装箱，尽快运往市场销售。",
        ],
    ),
    _resource(
        "crab-farming",
        "螃蟹养殖技术手册",
        summary=(
            "面向养殖户的技术手册，涵盖池塘改造、蟹种选择、饲料投喂和成蟹捕捞，"
            "强调生态养殖和尾水达标排放。"
        ),
        tags=["螃蟹养殖", "河蟹"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="禄口",
        year=2022,
        views=1450,
        pages=[
            "第一章 池塘条件。养蟹池塘以面积十到二十亩为宜，池底平坦、淤泥不超过十厘米。"
            "冬季干塘后用生石灰清塘消毒，曝晒半个月以上。池塘四周用钙塑板建防逃墙，"
            "高出地面五十厘米。",
            "第二章 水草种植。俗话说“蟹大小，看水草”。冬春季节在池中栽种伊乐藻，它耐低温、"
            "生长快，是早春河蟹的重要饵料和蜕壳隐蔽场所。进入夏季后再补种轮叶黑藻和苦草，"
            "防止高温时水草烂根败坏水质。",
            "第三章 蟹种投放。选择规格整齐、附肢齐全、活力强的长江水系蟹种，每亩投放六百到八百只。"
            "投放前将蟹种在池水中浸泡一分钟，取出放置片刻，重复两到三次，让它逐步适应水温。",
            "第四章 饲料投喂。投喂遵循“两头精、中间青”的原则：养殖前期和后期以颗粒饲料、"
            "小杂鱼为主，中期多投喂玉米、南瓜等植物性饲料。每天傍晚投喂一次，"
            "投喂量根据前一天的剩余情况调整。",
            "第五章 捕捞与销售。九月下旬起，河蟹陆续成熟。可采用地笼捕捞，"
            "也可在夜间沿池边用灯光诱捕。捕起的成蟹按雌雄和规格分拣，用湿草包扎保持活力，"
            "通过合作社和电商平台统一销售。",
        ],
    ),
    _resource(
        "crab-molting",
        "河蟹蜕壳期的水质管理",
        summary=(
            "河蟹一生要蜕壳多次，蜕壳期是最容易死亡的时候。课程讲解蜕壳前后的换水、补钙、"
            "增氧和投喂调整。"
        ),
        tags=["河蟹", "水质调控"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="禄口",
        year=2023,
        duration=760,
        views=870,
    ),
    _resource(
        "ecommerce-live",
        "电商直播带货入门实战",
        summary=(
            "从开通账号、布置直播间、打光收音到上架商品，手把手带农户做第一场直播，把自家的青菜、"
            "鸭蛋卖出去。"
        ),
        tags=["电商直播", "带货"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="秣陵",
        year=2024,
        duration=1860,
        views=3330,
        award="一等奖",
    ),
    _resource(
        "ecommerce-live-draft",
        "电商直播带货入门（草稿）",
        summary="草稿版本，直播间布置部分的画面需要补拍，讲解词还要进一步精简。",
        tags=["电商直播"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="秣陵",
        year=2025,
        duration=1800,
        views=8,
        status="draft",
    ),
    _resource(
        "ecommerce-live-script",
        "农产品电商直播话术与选品",
        summary=(
            "好产品也要会说：学习开场留人、产品讲解和促成下单的话术，结合淳化青虾、"
            "湖熟板鸭讲解选品与定价。"
        ),
        tags=["电商直播", "农产品"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="淳化",
        year=2025,
        duration=1420,
        views=1570,
    ),
    _resource(
        "ecommerce-shop",
        "农村电商网店开设指南",
        summary=(
            "课件介绍主流电商平台的开店流程、商品拍照与详情页制作、快递合作和售后处理，"
            "附本地农产品网店的案例。"
        ),
        tags=["农村电商", "网店"],
        kind="courseware",
        category="三农培训",
        audience="农民",
        street="横溪",
        year=2022,
        views=1020,
    ),
    _resource(
        "farm-machine-safety",
        "农机安全操作规范",
        summary=(
            "拖拉机、收割机、旋耕机作业前的检查要点，道路行驶和田间作业的安全规范，"
            "以及农机事故的应急处置。"
        ),
        tags=["农机安全", "拖拉机"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="淳化",
        year=2021,
        duration=1080,
        views=1280,
    ),
    _resource(
        "drone-spraying",
        "植保无人机飞防作业要点",
        summary=(
            "介绍植保无人机的航线规划、药液配比和作业天气条件，"
            "讲解飞手的资格要求和防止药液飘移的措施。"
        ),
        tags=["植保无人机", "飞防"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="横溪",
        year=2025,
        duration=1240,
        views=980,
    ),
    _resource(
        "nursery-seedlings",
        "苗木栽培与养护技术",
        summary="结合江宁苗木产业实际，讲解常见绿化苗木的育苗、移栽、整形修剪和越冬养护技术。",
        tags=["苗木栽培", "园林绿化"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="淳化",
        year=2022,
        views=1160,
        pages=[
            "第一章 育苗方式。苗木繁育主要有播种、扦插、嫁接和分株四种方式。桂花、"
            "石楠等常采用扦插育苗，取半木质化枝条，剪成十厘米左右的插穗，"
            "下端蘸生根剂后插入疏松透气的基质中。",
            "第二章 移栽技术。苗木移栽宜在休眠期进行，落叶树在早春萌芽前，"
            "常绿树在春季新梢萌发前或梅雨季节。大苗移栽要带土球，土球直径一般为胸径的八到十倍，"
            "并用草绳缠绕固定。",
            "第三章 整形修剪。修剪的目的在于培养良好的树形、促进通风透光。行道树要保留明显的主干，"
            "分枝点高度一致；造型苗木则需多次修剪才能成形。修剪后的大伤口应涂抹愈伤剂。",
            "第四章 越冬养护。入冬前浇足防冻水，对不耐寒的品种进行树干包扎或搭设风障。"
            "圃地要及时清除落叶，减少越冬病菌。雪后及时摇落枝叶上的积雪，防止压断枝条。",
        ],
    ),
    _resource(
        "hushu-chrysanthemum",
        "湖熟菊花种植与加工",
        summary=(
            "湖熟菊花栽培历史悠久。课程从扦插育苗、摘心打顶讲到采收烘干，"
            "介绍菊花茶的加工标准和包装销售。"
        ),
        tags=["湖熟菊花", "菊花茶"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="湖熟",
        year=2023,
        duration=1050,
        views=2420,
        award="三等奖",
    ),
    _resource(
        "hushu-draft",
        "湖熟菊花种植与加工（退回修改）",
        summary="评审意见：烘干温度的字幕与讲解不一致，背景音乐存在版权问题，请修改后重新提交。",
        tags=["湖熟菊花"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="湖熟",
        year=2024,
        duration=1040,
        views=0,
        status="returned",
    ),
    _resource(
        "hushu-chrysanthemum-book",
        "湖熟菊花：一朵花的致富路",
        summary=(
            "市民读本，讲述湖熟街道菊花产业从田间到茶杯的发展故事，记录种植户、"
            "合作社和菊花节背后的人与事。"
        ),
        tags=["湖熟菊花", "乡村振兴"],
        kind="reader",
        category="三农培训",
        audience="社区居民",
        street="湖熟",
        year=2025,
        views=940,
        pages=[
            "每年十月，湖熟的菊花田一片金黄。老种植户说，过去菊花只是田埂边的点缀，"
            "如今却成了村里的致富花。从几户人家试种，到成片规模种植，菊花产业用了十多年时间。",
            "菊花采摘全靠人工，一朵一朵地掐。采下的鲜花要当天进入烘房，温度先低后高，"
            "烘干的菊花才能保持色泽和香气。合作社统一收购、统一分级，种植户不愁销路。",
            "菊花节办起来以后，游客来赏花、拍照、买菊花茶，村里的农家乐也热闹了。"
            "年轻人开始在网上直播卖菊花，把湖熟的名字带到了更远的地方。",
        ],
    ),
    _resource(
        "hengxi-watermelon",
        "横溪西瓜嫁接育苗技术",
        summary=(
            "横溪西瓜远近闻名。课程演示以葫芦为砧木的靠接和插接方法，讲解嫁接苗的保温、"
            "保湿和炼苗管理。"
        ),
        tags=["横溪西瓜", "嫁接育苗"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="横溪",
        year=2022,
        duration=940,
        views=1890,
    ),
    _resource(
        "yangliu-homestay",
        "杨柳村民宿经营与服务",
        summary=(
            "依托杨柳村明清古建筑群，课件介绍民宿的证照办理、客房布置、"
            "线上接单和乡村文化体验项目设计。"
        ),
        tags=["乡村旅游", "民宿"],
        kind="courseware",
        category="三农培训",
        audience="农民",
        street="湖熟",
        year=2024,
        views=760,
    ),
    _resource(
        "datangjin-lavender",
        "大塘金：从荒坡到花海",
        summary=(
            "乡村振兴读本，讲述谷里街道大塘金村把荒坡变成薰衣草园的故事，记录花海经济起步、"
            "村民入股分红和节庆活动。"
        ),
        tags=["大塘金", "乡村旅游"],
        kind="reader",
        category="三农培训",
        audience="社区居民",
        street="谷里",
        year=2022,
        views=1310,
        pages=[
            "十多年前，大塘金村还是一个普通的小村庄，村后的荒坡长满杂草。"
            "村干部带着大家外出考察后，决定种薰衣草，发展乡村旅游。一开始，很多村民并不看好。",
            "第一年花开的时候，来了不少拍婚纱照的年轻人。村里趁热打铁，修了步道和停车场，"
            "办起了农家乐和民宿。村民以土地和房屋入股，年底还能拿到分红。",
            "如今，大塘金每年举办薰衣草节，游客可以赏花、摘果、做手工香包。村民们说，"
            "过去是“守着荒坡过穷日子”，现在是“守着花海把钱赚”。",
        ],
    ),
    _resource(
        "soil-fertilizer",
        "测土配方施肥技术",
        summary=(
            "三农培训教材，讲解土壤样品的采集方法、检测报告的解读，"
            "以及按配方合理施用氮磷钾肥和有机肥的技术。"
        ),
        tags=["科学施肥", "耕地保护"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="禄口",
        year=2021,
        views=890,
        pages=[
            "第一章 土样采集。采样时间一般在作物收获后、施肥前。每个采样单元按“S”"
            "形路线选取十五到二十个点，每点取耕层零到二十厘米的土壤，"
            "混匀后用四分法留取一公斤左右装袋。",
            "第二章 读懂检测报告。检测报告主要包括土壤酸碱度、有机质以及氮、磷、钾含量。"
            "含量低的养分要适当多施，含量高的养分少施或不施，避免盲目施肥造成浪费和污染。",
            "第三章 配方施肥。根据作物需肥规律和土壤供肥能力确定施肥量。"
            "水稻一般基肥占总氮量的一半左右，其余作分蘖肥和穗肥追施。提倡有机肥与化肥配合施用，"
            "改良土壤结构。",
        ],
    ),
    _resource(
        "vegetable-greenhouse",
        "设施蔬菜大棚的温湿度管理",
        summary=(
            "冬春季节大棚蔬菜容易出现高温烧苗和高湿发病。课件讲解放风、覆盖、滴灌和补光的操作要领。"
        ),
        tags=["设施农业", "蔬菜"],
        kind="courseware",
        category="三农培训",
        audience="农民",
        street="汤山",
        year=2023,
        views=1040,
    ),
    _resource(
        "beekeeping",
        "中华蜜蜂养殖入门",
        summary=(
            "三农培训教材，介绍中华蜜蜂的生活习性、蜂箱摆放、分蜂控制、越冬管理和蜂蜜采收，"
            "适合丘陵山区发展林下经济。"
        ),
        tags=["养蜂", "特色养殖"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="横溪",
        year=2024,
        views=620,
        pages=[
            "第一章 生活习性。中华蜜蜂耐寒、抗病、善于利用零星蜜源，适合在山区丘陵饲养。"
            "一群蜂由一只蜂王、大量工蜂和季节性出现的雄蜂组成，工蜂负责采蜜、哺育和守卫。",
            "第二章 蜂箱摆放。蜂箱应放在背风向阳、排水良好的地方，前方开阔，"
            "附近有充足的蜜粉源和干净水源。蜂箱之间保持一定距离，巢门朝向错开，防止蜜蜂错投。",
            "第三章 分蜂与越冬。春季群势增强后容易发生自然分蜂，可以及时扩大蜂巢或人工分群。"
            "入冬前留足饲料蜜，缩小巢门，用稻草包裹蜂箱保温，让蜂群安全越冬。",
        ],
    ),
    _resource(
        "rural-revitalization-reader",
        "乡村振兴政策百问百答",
        summary=(
            "以问答形式解读耕地保护、土地经营权流转、农业补贴和农村创业扶持等政策，语言通俗，"
            "便于村民查阅。"
        ),
        tags=["乡村振兴", "惠农政策"],
        kind="reader",
        category="三农培训",
        audience="农民",
        street="江宁",
        year=2023,
        views=1450,
        pages=[
            "问：土地承包经营权可以流转吗？答：可以。承包农户可以依法采取出租、"
            "入股等方式流转土地经营权，流转要签订书面合同，明确期限、价格和用途，"
            "不得改变土地的农业用途。",
            "问：种粮有哪些补贴？答：主要有耕地地力保护补贴、稻谷补贴和农机购置补贴等。"
            "补贴资金通过“一卡通”直接发放到农户账户，具体标准以当年区农业农村局公布的为准。",
            "问：返乡创业能得到哪些支持？答：符合条件的返乡创业人员可以申请创业担保贷款和一次性创"
            "业补贴，参加免费的创业培训。具体可咨询所在街道的为民服务中心。",
            "问：宅基地上的房子能卖给城里人吗？答：农村宅基地属于集体所有，"
            "城镇居民不能购买农村宅基地和农房。村民建房要先向村集体提出申请，"
            "经审核批准后方可建设。",
        ],
    ),
    _resource(
        "agri-cooperative",
        "农民专业合作社规范运营",
        summary=(
            "介绍合作社的设立登记、民主管理、财务公开和盈余分配，"
            "帮助合作社理事长和财务人员规范日常运营。"
        ),
        tags=["合作社", "经营管理"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="禄口",
        year=2024,
        views=730,
        pages=[
            "第一章 设立登记。五名以上农民可以发起设立合作社，召开设立大会，通过章程，"
            "选举理事长和监事。向市场监管部门提交登记申请，领取营业执照后即可开展经营活动。",
            "第二章 民主管理。成员大会是合作社的权力机构，实行一人一票。重大事项如年度计划、"
            "盈余分配方案、吸收新成员等，都要经成员大会讨论通过，并形成会议记录。",
            "第三章 盈余分配。合作社的可分配盈余，主要按成员与合作社的交易量返还，"
            "返还总额不低于可分配盈余的百分之六十，其余部分按出资额等比例分配。"
            "分配方案要向全体成员公开。",
        ],
    ),
    _resource(
        "pesticide-safety",
        "农药安全使用与减量增效",
        summary=(
            "课件讲解农药标签识读、安全配药、防护用品穿戴和废弃包装回收，"
            "介绍减少化学农药用量的替代技术。"
        ),
        tags=["农药安全", "绿色防控"],
        kind="courseware",
        category="三农培训",
        audience="农民",
        street="横溪",
        year=2022,
        views=810,
    ),
    _resource(
        "edible-fungus",
        "食用菌栽培与出菇管理",
        summary=(
            "以平菇和香菇为例，讲解菌棒制作、接种、发菌和出菇管理，适合利用闲置大棚发展林下经济。"
        ),
        tags=["食用菌", "林下经济"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="汤山",
        year=2024,
        duration=1320,
        views=700,
    ),
    _resource(
        "agri-brand-book",
        "农产品品牌与包装设计",
        summary=(
            "讲解农产品品牌命名、地理标志申请和包装设计的基本方法，"
            "用江宁本地农产品的实例说明如何讲好产品故事。"
        ),
        tags=["农产品品牌", "包装设计"],
        kind="textbook",
        category="三农培训",
        audience="农民",
        street="秣陵",
        year=2025,
        views=560,
        pages=[
            "第一章 为什么要做品牌。同样是大米，有品牌的能卖出更高的价格，"
            "原因在于消费者愿意为可信的品质付费。品牌是对品质的承诺，"
            "也是农户和合作社长期经营的积累。",
            "第二章 地理标志。地理标志产品是指产自特定地域、"
            "品质与当地自然和人文因素密切相关的产品。申请地理标志需要提供产地范围、"
            "质量标准和历史渊源等材料，由行业协会或合作社作为申请主体。",
            "第三章 包装设计。包装要做到保护产品、方便运输、信息清楚。正面突出品牌名称和产品名，"
            "背面标注产地、生产日期、保质期和联系方式。礼品包装不宜过度，提倡使用可回收材料。",
        ],
    ),
    _resource(
        "smart-agri",
        "智慧农业：手机远程管理大棚",
        summary=(
            "在大棚里装上温湿度传感器和自动卷帘，农户用手机就能看数据、开风口、启动滴灌，"
            "省工又省心。"
        ),
        tags=["智慧农业", "物联网"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="汤山",
        year=2026,
        duration=860,
        views=420,
    ),
    _resource(
        "rice-planting",
        "水稻机插秧育秧技术",
        summary=(
            "讲解机插秧育秧的种子处理、播种量控制、秧田管理和秧苗起运，保证秧苗整齐健壮，"
            "满足插秧机作业要求。"
        ),
        tags=["水稻", "机插秧"],
        kind="video",
        category="三农培训",
        audience="农民",
        street="禄口",
        year=2021,
        duration=1560,
        views=1100,
    ),
    # 职业技能
    _resource(
        "housekeeping-etiquette",
        "家政服务礼仪与职业规范",
        summary=(
            "家政服务员上户第一课：仪容仪表、沟通礼貌用语、尊重雇主隐私，"
            "以及服务合同中双方的权利和义务。"
        ),
        tags=["家政服务", "职业礼仪"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="东山",
        year=2022,
        duration=890,
        views=1530,
    ),
    _resource(
        "housekeeping-kitchen",
        "家政保洁：厨房深度清洁",
        summary="油烟机拆洗、灶台去油污、水槽除垢的步骤和清洁剂选择，强调防滑、防腐蚀等作业安全。",
        tags=["保洁", "家居清洁"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="东山",
        year=2023,
        duration=1210,
        views=1270,
    ),
    _resource(
        "housekeeping-book",
        "家政服务员培训教程",
        summary=(
            "依据家政服务员国家职业技能标准编写，包括家居清洁、衣物洗涤、家庭烹饪和安全常识等模块。"
        ),
        tags=["家政服务", "职业培训"],
        kind="textbook",
        category="职业技能",
        audience="社区居民",
        street="东山",
        year=2023,
        views=1080,
        pages=[
            "模块一 家居清洁。清洁顺序遵循从上到下、从里到外、先干后湿的原则。"
            "擦拭家具使用微湿抹布，实木家具不能用强碱性清洁剂。不同区域的抹布要分色使用，厨房、"
            "卫生间和客厅不能混用。",
            "模块二 衣物洗涤。洗涤前先查看衣物上的洗涤标识，按颜色、材质分类。"
            "羊毛和真丝衣物宜用中性洗涤剂手洗，不可拧绞，平铺阴干。"
            "婴幼儿衣物要与成人衣物分开洗涤。",
            "模块三 家庭烹饪。服务员上户后要先了解雇主家庭成员的饮食习惯和禁忌。"
            "制作饭菜做到生熟分开、荤素搭配，剩饭剩菜及时冷藏，隔夜饭菜须彻底加热后食用。",
            "模块四 安全常识。使用燃气后及时关闭阀门，离家前检查电器电源。登高擦窗必须系好安全带，"
            "不得站在窗台外侧作业。发现老人或儿童身体异常，立即告知雇主并拨打急救电话。",
        ],
    ),
    _resource(
        "nanny-bath",
        "育婴师：新生儿沐浴与抚触",
        summary=(
            "演示新生儿沐浴前的准备、水温测试、洗头洗身的手法和脐部护理，以及沐浴后的全身抚触。"
        ),
        tags=["育婴师", "新生儿护理"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="秣陵",
        year=2023,
        duration=1020,
        views=2180,
        award="二等奖",
    ),
    _resource(
        "nanny-draft",
        "育婴师：新生儿沐浴（草稿）",
        summary="初剪版本，示范用的仿真娃娃镜头需要重拍，旁白录音尚未完成，暂不对外发布。",
        tags=["育婴师"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="秣陵",
        year=2022,
        duration=980,
        views=2,
        status="draft",
    ),
    _resource(
        "nanny-feeding",
        "育婴师：婴儿辅食添加",
        summary=(
            "六个月起如何添加辅食：从强化铁米粉开始，由稀到稠、由少到多，观察过敏反应，"
            "做好辅食记录。"
        ),
        tags=["育婴师", "辅食"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="秣陵",
        year=2024,
        duration=870,
        views=1650,
    ),
    _resource(
        "nanny-book",
        "育婴师职业技能培训教程",
        summary=(
            "面向育婴员和育婴师考证学员的培训教材，内容涵盖婴幼儿生活照料、喂养、"
            "日常保健和早期发展。"
        ),
        tags=["育婴师", "职业培训"],
        kind="textbook",
        category="职业技能",
        audience="社区居民",
        street="秣陵",
        year=2022,
        views=1240,
        pages=[
            "第一单元 生活照料。婴儿每天的睡眠时间随月龄变化，新生儿约需十六到二十小时。"
            "要让婴儿仰卧入睡，床上不放枕头、毛绒玩具和厚被子，以降低窒息风险。",
            "第二单元 喂养。提倡纯母乳喂养至六个月。人工喂养时，奶粉要按说明书比例冲调，"
            "先加水后加粉，冲好后滴几滴在手腕内侧试温。奶瓶每次用后清洗，定期煮沸消毒。",
            "第三单元 日常保健。定期带婴儿进行健康检查，按免疫程序接种疫苗。"
            "婴儿发热时可先用温水擦浴等方法物理降温，体温超过三十八点五摄氏度要及时就医。",
            "第四单元 早期发展。多和婴儿说话、唱歌、做游戏，给予丰富的语言刺激。"
            "三个月左右开始练习俯卧抬头，七个月左右练习独坐和爬行。每个孩子的发展节奏不同，"
            "不必过度比较。",
        ],
    ),
    _resource(
        "pastry-steamed-bun",
        "面点制作：发面与包子",
        summary="酵母用量、发面温度和揉面手法一一讲解，学会捏出十八个褶的鲜肉包，蒸出来松软不塌。",
        tags=["面点制作", "中式面点"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="麒麟",
        year=2022,
        duration=1380,
        views=2890,
    ),
    _resource(
        "pastry-dumpling",
        "面点制作：饺子与馄饨",
        summary=(
            "和面、擀皮、调馅到包制，演示元宝饺、月牙饺和小馄饨的包法，适合家庭制作和小吃店经营。"
        ),
        tags=["面点制作", "饺子"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="麒麟",
        year=2023,
        duration=1150,
        views=2140,
    ),
    _resource(
        "pastry-book",
        "中式面点师培训教材",
        summary=(
            "按照中式面点师职业标准编写，介绍面团调制、馅料制作、成型手法和熟制方法，"
            "配有南京特色小吃的实例。"
        ),
        tags=["中式面点", "职业培训"],
        kind="textbook",
        category="职业技能",
        audience="社区居民",
        street="麒麟",
        year=2024,
        views=960,
        pages=[
            "第一章 面团调制。中式面点的面团按调制方法分为水调面团、膨松面团、油酥面团和米粉面团。"
            "冷水面团筋力强，适合做面条和饺子；热水面团柔软，适合做蒸饺和烧卖。",
            "第二章 馅料。咸馅以鲜肉馅最常用，肉馅要分次加入葱姜水，顺一个方向搅打上劲，"
            "这样做出的馅心鲜嫩多汁。甜馅常用豆沙、枣泥和芝麻，炒制时火候要小，防止焦糊。",
            "第三章 成型手法。常见的成型手法有搓、包、卷、捏、擀、切、叠等。包子讲究褶纹均匀、"
            "收口紧实；烧卖讲究皮薄如纸、花边自然。初学者应从基本手法练起，熟能生巧。",
            "第四章 南京特色小吃。南京人爱吃糖芋苗和赤豆元宵。赤豆元宵的糯米粉要用温水调制，"
            "搓圆时手上蘸少许干粉，煮至浮起后再稍煮片刻，盛入熬好的赤豆汤中即可。",
        ],
    ),
    _resource(
        "electrician-safety",
        "电工安全用电基础",
        summary=(
            "讲解触电的危害和原因、绝缘工具的检查、停电验电挂牌的操作程序，以及触电急救的正确做法。"
        ),
        tags=["电工安全", "安全用电"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="江宁",
        year=2021,
        duration=1290,
        views=1720,
    ),
    _resource(
        "electrician-draft",
        "电工安全用电基础（退回修改）",
        summary="评审意见：课件中漏电保护器的接线示意图有误，请核对国家标准后重新提交。",
        tags=["电工安全"],
        kind="courseware",
        category="职业技能",
        audience="社区居民",
        street="江宁",
        year=2022,
        views=0,
        status="returned",
    ),
    _resource(
        "electrician-wiring",
        "家庭电路布线与故障排查",
        summary=(
            "面向居民和初级电工的教材，介绍家庭配电箱、空气开关和漏电保护器，讲解插座接线、"
            "灯具更换和跳闸故障的排查方法。"
        ),
        tags=["电工", "家装"],
        kind="textbook",
        category="职业技能",
        audience="社区居民",
        street="江宁",
        year=2023,
        views=1060,
        pages=[
            "第一章 认识配电箱。家庭配电箱里通常有一个总开关和若干个分路空气开关，分别控制照明、"
            "插座、空调和厨房等回路。每个开关下方都应贴上标签，检修时先断开对应回路的开关。",
            "第二章 插座接线。五孔插座的接线口诀是“左零右火上接地”。火线一般为红色或棕色，"
            "零线为蓝色，地线为黄绿双色。接线前必须断电，并用验电笔确认无电后再操作。",
            "第三章 跳闸排查。空气开关跳闸多由过载或短路引起；"
            "漏电保护器跳闸则说明线路或电器有漏电。可以先拔下该回路上的所有电器，合闸后逐个插回，"
            "找出故障电器。反复跳闸时请专业人员检修。",
        ],
    ),
    _resource(
        "eldercare-turning",
        "养老护理：卧床老人翻身与体位",
        summary="演示协助卧床老人翻身、摆放侧卧位和半卧位的方法，讲解压疮的预防和皮肤观察要点。",
        tags=["养老护理", "卧床照护"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="麒麟",
        year=2023,
        duration=760,
        views=1610,
        award="一等奖",
    ),
    _resource(
        "eldercare-feeding",
        "养老护理：协助进食与防呛咳",
        summary=(
            "讲解进食前的体位准备、食物性状的选择和喂食节奏，"
            "教会护理员识别呛咳的早期表现并及时处理。"
        ),
        tags=["养老护理", "防呛咳"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="麒麟",
        year=2024,
        duration=640,
        views=1230,
    ),
    _resource(
        "eldercare-book",
        "养老护理员实务教程",
        summary=(
            "依据养老护理员职业技能标准编写，包括生活照护、基础照护、康复服务和心理支持，"
            "兼顾机构养老和居家养老场景。"
        ),
        tags=["养老护理员", "居家养老"],
        kind="textbook",
        category="职业技能",
        audience="社区居民",
        street="麒麟",
        year=2025,
        views=870,
        pages=[
            "第一章 生活照护。为老人洗脸、刷牙、梳头等清洁照护，"
            "应尽量鼓励老人自己完成力所能及的部分。协助如厕时注意保护隐私，动作轻柔，"
            "必要时使用坐便椅，防止老人起身时跌倒。",
            "第二章 基础照护。每日测量并记录体温、脉搏、呼吸和血压。发现老人精神状态变差、"
            "食欲明显下降或出现意识模糊，要及时报告医护人员和家属，不可自行处理。",
            "第三章 康复服务。协助老人进行关节活动训练，每个动作重复五到十次，以不引起疼痛为度。"
            "使用轮椅时先刹车再让老人坐下，推行下坡时要倒退慢行。",
            "第四章 心理支持。老人入住养老机构后常有孤独和失落感。护理员要多倾听、多陪伴，"
            "记住老人的生活习惯和爱好，组织读报、手工和唱歌等小组活动，帮助老人融入集体生活。",
        ],
    ),
    _resource(
        "hairdressing",
        "美发基础：剪发与吹风造型",
        summary=(
            "学习分区梳理、基础层次剪法和吹风造型，适合有意从事美发行业或参加社区志愿理发的学员。"
        ),
        tags=["美发", "社区志愿理发"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="东山",
        year=2024,
        duration=1940,
        views=940,
    ),
    _resource(
        "barista",
        "咖啡制作基础：从萃取到拉花",
        summary=(
            "认识咖啡豆的烘焙度，学习意式浓缩的萃取参数和牛奶打发，练习心形拉花，"
            "适合想开社区咖啡馆的居民。"
        ),
        tags=["咖啡师", "饮品制作"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="秣陵",
        year=2025,
        duration=1530,
        views=1180,
    ),
    _resource(
        "chinese-cooking",
        "中式烹调刀工基础训练",
        summary=(
            "握刀姿势、直刀切、推刀切、滚刀切和剞刀法练习，把土豆切成均匀的丝和片，"
            "练好成为厨师的基本功。"
        ),
        tags=["中式烹调", "刀工"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="湖熟",
        year=2022,
        duration=1610,
        views=1390,
    ),
    _resource(
        "job-interview",
        "求职简历制作与面试技巧",
        summary=(
            "课件讲解一页简历的写法、常见面试问题的回答思路和面试礼仪，"
            "附江宁区公共就业服务站点信息。"
        ),
        tags=["就业指导", "求职"],
        kind="courseware",
        category="职业技能",
        audience="社区居民",
        street="东山",
        year=2023,
        views=1480,
    ),
    _resource(
        "delivery-safety",
        "外卖骑手交通安全与权益保障",
        summary=(
            "面向外卖和快递骑手的课件：遵守交通信号、不逆行不闯红灯，"
            "了解职业伤害保障的参保和理赔流程。"
        ),
        tags=["新就业形态", "交通安全"],
        kind="courseware",
        category="职业技能",
        audience="社区居民",
        street="秣陵",
        year=2024,
        views=880,
    ),
    _resource(
        "forklift",
        "叉车安全操作规程",
        summary=(
            "禄口空港物流园区企业员工培训课：叉车作业前检查、起步转弯、"
            "货物叉取堆垛的安全要点和持证上岗要求。"
        ),
        tags=["叉车", "特种设备"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="禄口",
        year=2022,
        duration=1460,
        views=760,
    ),
    _resource(
        "welding",
        "焊工入门：焊条电弧焊安全操作",
        summary=(
            "介绍焊条电弧焊的设备、引弧和运条方法，强调防触电、防火、"
            "防弧光伤害和作业现场的通风要求。"
        ),
        tags=["焊工", "特种作业"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="禄口",
        year=2023,
        duration=2100,
        views=690,
    ),
    _resource(
        "excel-basics",
        "办公软件Excel表格入门",
        summary=(
            "课件讲解表格录入、公式求和、排序筛选和打印设置，以社区台账为例练习，"
            "适合社区工作者和求职人员。"
        ),
        tags=["办公软件", "Excel"],
        kind="courseware",
        category="职业技能",
        audience="社区居民",
        street="江宁",
        year=2021,
        views=1650,
    ),
    _resource(
        "property-service",
        "物业服务实务教程",
        summary=(
            "麒麟科技城物业企业员工培训教材，讲解客户服务、"
            "设施设备管理和突发事件处置等物业服务实务。"
        ),
        tags=["物业管理", "社区服务"],
        kind="textbook",
        category="职业技能",
        audience="社区居民",
        street="麒麟",
        year=2024,
        views=520,
        pages=[
            "第一章 客户服务。业主来访或来电报修时，要做到首问负责，记录报修内容、地址和联系方式，"
            "告知预计上门时间。维修完成后进行回访，了解业主是否满意，并在台账中登记。",
            "第二章 设施设备管理。电梯、消防水泵、二次供水设备要建立档案，按计划维护保养。"
            "电梯年检合格证张贴在轿厢内醒目位置。雨季来临前检查地下车库的排水泵和挡水板。",
            "第三章 突发事件处置。发生电梯困人时，先通过对讲安抚被困人员，立即通知维保单位，"
            "不得由非专业人员强行扒门。遇火情要第一时间拨打119，组织人员沿安全通道疏散。",
        ],
    ),
    _resource(
        "internet-marketer",
        "新职业：互联网营销师",
        summary=(
            "了解互联网营销师的职业定义、岗位分工和职业技能等级认定，看看直播销售员、"
            "选品员每天都在做什么。"
        ),
        tags=["新职业", "互联网营销"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="淳化",
        year=2024,
        duration=1080,
        views=1020,
    ),
    _resource(
        "tea-art",
        "茶艺师基础：绿茶冲泡",
        summary="学习玻璃杯冲泡绿茶的上投法、中投法和下投法，掌握水温和投茶量，体验奉茶礼仪。",
        tags=["茶艺师", "茶文化"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="江宁",
        year=2025,
        duration=450,
        views=780,
    ),
    _resource(
        "labor-rights-reader",
        "灵活就业人员劳动权益读本",
        summary=(
            "用案例讲解灵活就业人员的社会保险参保、劳动报酬争议和职业伤害保障，"
            "告诉读者遇到纠纷该找谁、怎么办。"
        ),
        tags=["劳动权益", "灵活就业"],
        kind="reader",
        category="职业技能",
        audience="社区居民",
        street="东山",
        year=2025,
        views=630,
        pages=[
            "小李在平台跑外卖已经两年，一次送餐途中摔伤了腿。"
            "他以为没有签劳动合同就什么保障都没有，后来才知道，平台已经为骑手缴纳了职业伤害保障，"
            "可以按规定申请待遇。",
            "灵活就业人员可以以个人身份参加职工基本养老保险和职工医保，"
            "缴费基数在规定范围内自主选择。参保后，缴费年限可以累计，将来退休时按规定领取养老金。",
            "遇到被拖欠报酬，可以先与对方协商，协商不成的，可拨打12333咨询，"
            "或向劳动保障监察机构投诉，也可以申请劳动人事争议仲裁。平时要注意保存工作记录、"
            "转账记录等证据。",
        ],
    ),
    _resource(
        "return-entrepreneur",
        "返乡创业政策与项目选择",
        summary=(
            "课件梳理创业担保贷款、场地补贴等扶持政策，分析农产品加工、乡村民宿、"
            "农村电商等创业项目的风险和投入。"
        ),
        tags=["返乡创业", "创业指导"],
        kind="courseware",
        category="职业技能",
        audience="农民",
        street="湖熟",
        year=2023,
        views=710,
    ),
    _resource(
        "chef-book",
        "家常菜烹饪技法教程",
        summary=(
            "面向社区居民和初级厨师的教材，讲解炒、炖、蒸、烧等常用烹饪方法，"
            "收录盐水鸭等南京家常菜的做法。"
        ),
        tags=["烹饪", "家常菜"],
        kind="textbook",
        category="职业技能",
        audience="社区居民",
        street="湖熟",
        year=2021,
        views=1150,
        pages=[
            "第一章 火候。火候是烹调的关键。爆炒类菜肴用旺火速成，保持原料脆嫩；"
            "炖焖类菜肴先用旺火烧开，再转小火长时间加热，使原料酥烂入味。掌握火候需要多观察、"
            "多练习。",
            "第二章 调味。调味遵循“咸鲜为本、一菜一味”的原则。盐要分次加入，先少后多；"
            "糖可以提鲜，但南京家常菜用糖不宜过多。出锅前尝味，再做最后的调整。",
            "第三章 盐水鸭。选用当年的肥鸭，用炒过的花椒盐擦遍鸭身内外，腌制后再用老卤浸泡。"
            "煮制时水不能大开，保持微沸，使鸭肉熟而不柴。冷却后斩件装盘，皮白肉嫩，肥而不腻。",
        ],
    ),
    _resource(
        "safety-reader",
        "安全生产知识市民读本",
        summary=(
            "面向企业员工和社区居民的安全生产普及读本，讲解有限空间作业、"
            "电动车充电和燃气使用等常见风险的防范。"
        ),
        tags=["安全生产", "应急管理"],
        kind="reader",
        category="职业技能",
        audience="社区居民",
        street="禄口",
        year=2026,
        views=480,
        pages=[
            "有限空间是指窨井、化粪池、污水池这类封闭或半封闭的场所，里面可能积聚有毒气体。"
            "进入前必须先通风、再检测、后作业，外面要有专人监护。盲目施救往往造成更大的伤亡。",
            "电动自行车不要在楼道、家中充电，更不要飞线充电。应到小区集中充电点充电，"
            "充满后及时拔下插头。发现电池鼓包、发烫或有异味，要立即停止使用。",
            "家中闻到燃气味时，不要开关电灯、不要打电话，要立即关闭燃气阀门，打开门窗通风，"
            "到室外安全的地方再拨打燃气公司的抢修电话。",
        ],
    ),
    # 青少年校外
    _resource(
        "science-dancing-salt",
        "趣味科普实验：会跳舞的盐",
        summary=(
            "把保鲜膜绷在碗口，撒上细盐，对着碗大声说话，盐粒就会跳起舞来。"
            "实验带孩子认识声音是由振动产生的。"
        ),
        tags=["科普实验", "声音"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="麒麟",
        year=2023,
        duration=270,
        views=2310,
    ),
    _resource(
        "science-water-filter",
        "科普实验：自制简易净水器",
        summary=(
            "用塑料瓶、纱布、活性炭、细沙和小石子做一个净水器，观察浑水变清的过程，"
            "了解自来水是怎样净化的。"
        ),
        tags=["科普实验", "环保"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="麒麟",
        year=2024,
        duration=410,
        views=1520,
    ),
    _resource(
        "science-book",
        "青少年科普实验手册",
        summary=(
            "收录二十个用家中常见材料就能完成的小实验，每个实验包括材料清单、操作步骤、"
            "现象记录和科学原理。"
        ),
        tags=["科普实验", "科学探究"],
        kind="textbook",
        category="青少年校外",
        audience="青少年",
        street="麒麟",
        year=2022,
        views=1310,
        pages=[
            "实验一 不会湿的纸。把一团纸巾塞进玻璃杯底部，将杯子倒扣，竖直压入水盆中，再竖直取出，"
            "纸巾依然是干的。这是因为杯中的空气占据了空间，水进不去。想一想：如果把杯子倾斜，"
            "会发生什么？",
            "实验五 彩虹糖的扩散。在白色盘子边缘摆一圈彩虹糖，往盘子中间倒入温水，"
            "糖衣上的色素会向中心扩散，形成彩色的条纹。不同颜色的色素相遇后不会马上混合，"
            "可以仔细观察它们的边界。",
            "实验九 吸管笛子。把吸管一端剪成尖角，用牙齿轻轻压扁，用力吹气就能发出声音。"
            "把吸管剪短，声音会变高。这是因为振动的空气柱越短，频率越高。",
            "安全提示。做实验时请在家长或老师的陪同下进行，使用剪刀、热水和蜡烛时要格外小心。"
            "实验用的食品材料不要食用，实验结束后及时清理桌面，把工具放回原处。",
        ],
    ),
    _resource(
        "calligraphy-brush",
        "书法入门：毛笔基本笔画",
        summary=(
            "从执笔姿势、坐姿讲起，示范横、竖、撇、捺、点的起笔、行笔和收笔，配套楷书练习字帖。"
        ),
        tags=["书法", "毛笔字"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="东山",
        year=2022,
        duration=960,
        views=2540,
        award="二等奖",
    ),
    _resource(
        "calligraphy-pen",
        "硬笔书法：楷书间架结构",
        summary=(
            "讲解上下结构、左右结构和包围结构字的书写规律，帮助学生把字写得端正匀称，改善作业书写。"
        ),
        tags=["硬笔字", "楷书"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="东山",
        year=2023,
        duration=720,
        views=1870,
    ),
    _resource(
        "calligraphy-book",
        "少儿书法校本教材",
        summary=(
            "东山街道青少年校外活动中心编写，分为执笔坐姿、点画、偏旁部首和作品创作四个单元，"
            "每课附临写范字。"
        ),
        tags=["书法", "校本教材"],
        kind="textbook",
        category="青少年校外",
        audience="青少年",
        street="东山",
        year=2021,
        views=1090,
        pages=[
            "第一单元 执笔与坐姿。写毛笔字时，头正、身直、臂开、足安。执笔采用五指执笔法，"
            "指实掌虚，笔杆要竖直。初学时手腕容易紧张，可以先在报纸上画直线和圆圈，练习控笔。",
            "第二单元 点画。点是最小的笔画，却最见功夫。写侧点时，笔锋轻轻落下，向右下方顿笔，"
            "再向左上方回锋收笔。古人说点画要如高峰坠石，写出来要有力量感。",
            "第三单元 偏旁部首。三点水的三个点要上下呼应，最后一点写成提，指向右上方。"
            "单人旁的撇要写得舒展，竖要写得挺直。偏旁写好了，左右结构的字就成功了一半。",
            "第四单元 作品创作。完成一幅作品要注意正文、落款和印章的安排。正文字距、行距要匀称，"
            "落款字比正文略小，印章盖在落款下方。可以从书写“福”字和春联开始尝试。",
        ],
    ),
    _resource(
        "papercut-flower",
        "非遗剪纸：团花剪法",
        summary=(
            "把红纸折成八折，画样、剪刻、展开，一朵对称的团花就完成了。"
            "课程介绍南京剪纸的风格和传承人的故事。"
        ),
        tags=["非遗剪纸", "民间艺术"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="淳化",
        year=2022,
        duration=650,
        views=1950,
    ),
    _resource(
        "papercut-zodiac",
        "非遗剪纸：十二生肖窗花",
        summary="春节前学剪生肖窗花：先描稿，再从里往外剪，锯齿纹和月牙纹让小动物活灵活现。",
        tags=["非遗剪纸", "窗花"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="淳化",
        year=2024,
        duration=1380,
        views=1240,
    ),
    _resource(
        "papercut-book",
        "非遗剪纸技艺教程",
        summary=(
            "青少年校外活动中心的非遗课程教材，介绍剪纸的工具、常用纹样、折剪和刻剪技法，"
            "以及剪纸作品的装裱。"
        ),
        tags=["非遗剪纸", "传统技艺"],
        kind="textbook",
        category="青少年校外",
        audience="青少年",
        street="淳化",
        year=2023,
        views=880,
        pages=[
            "第一课 工具与材料。剪纸常用的工具有剪刀、刻刀、蜡板和订书机。红色宣纸薄而柔韧，"
            "最适合初学者。剪刀要选刀尖细长、开合灵活的，使用后放回笔袋，注意安全。",
            "第二课 常用纹样。锯齿纹像小草的叶子，常用来表现动物的毛发；月牙纹弯弯的，"
            "可以做眼睛和花瓣；云纹、水滴纹也很常见。把几种纹样组合起来，就能剪出丰富的图案。",
            "第三课 阴刻与阳刻。阳刻是保留图案的轮廓线，把其余部分剪去，线线相连；"
            "阴刻则是剪去图案的线条，保留块面，线线相断。一幅作品中常常阴阳结合，使画面更有层次。",
            "第四课 作品装裱。剪好的作品平放在衬纸上，用少量胶水点粘固定，再压在书下放平。"
            "可以用卡纸做成贺卡，也可以装进相框，送给长辈作为新年礼物。",
        ],
    ),
    _resource(
        "drowning-safety",
        "防溺水安全教育：六不一会",
        summary=(
            "暑假来临，牢记“六不一会”：不私自下水游泳，不擅自与他人结伴游泳，"
            "不到无安全设施的水域游泳……遇到同伴溺水会呼救。"
        ),
        tags=["防溺水", "暑期安全"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="横溪",
        year=2023,
        duration=420,
        views=3710,
        award="一等奖",
    ),
    _resource(
        "drowning-safety-draft",
        "防溺水安全教育（草稿）",
        summary="新版防溺水微课草稿，动画部分待补充，配音演员尚未确定，暂不对外发布。",
        tags=["防溺水"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="横溪",
        year=2025,
        duration=400,
        views=2,
        status="draft",
    ),
    _resource(
        "drowning-rescue",
        "同伴落水怎么办：岸上施救",
        summary=(
            "遇到同伴落水，不能手拉手下水救人。学会大声呼救、拨打110和120，用竹竿、绳子、"
            "救生圈进行岸上施救。"
        ),
        tags=["溺水施救", "应急救护"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="横溪",
        year=2024,
        duration=310,
        views=1420,
    ),
    _resource(
        "coding-scratch",
        "编程启蒙：Scratch小游戏",
        summary=(
            "用积木式编程做一个接苹果小游戏，认识角色、事件、循环和条件判断，适合三到五年级学生。"
        ),
        tags=["编程启蒙", "Scratch"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="秣陵",
        year=2024,
        duration=1720,
        views=2060,
        award="二等奖",
    ),
    _resource(
        "coding-draft",
        "编程启蒙：Scratch小游戏（送审）",
        summary="送审版本补充了课堂练习和评价量表，等待区青少年校外活动中心审核。",
        tags=["编程启蒙"],
        kind="courseware",
        category="青少年校外",
        audience="青少年",
        street="秣陵",
        year=2026,
        views=3,
        status="submitted",
    ),
    _resource(
        "coding-robot",
        "编程启蒙：机器人搭建与控制",
        summary="课件引导学生搭建小车机器人，用图形化编程控制电机和传感器，完成巡线和避障任务。",
        tags=["编程启蒙", "机器人"],
        kind="courseware",
        category="青少年校外",
        audience="青少年",
        street="秣陵",
        year=2025,
        views=930,
    ),
    _resource(
        "coding-python",
        "青少年Python编程入门",
        summary="从打印第一句话开始，学习变量、列表、循环和函数，写出猜数字游戏和简单的画图程序。",
        tags=["编程", "Python"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="麒麟",
        year=2025,
        duration=2280,
        views=1340,
    ),
    _resource(
        "stargazing",
        "观星入门：认识夏季星空",
        summary=(
            "青少年天文科普读本，介绍夏季大三角、牛郎星、织女星和天蝎座，教读者使用星图和观星软件。"
        ),
        tags=["天文", "科普阅读"],
        kind="reader",
        category="青少年校外",
        audience="青少年",
        street="汤山",
        year=2023,
        views=980,
        pages=[
            "夏夜抬头向东南方望去，三颗明亮的星组成一个大三角形，这就是夏季大三角。"
            "它由天琴座的织女星、天鹰座的牛郎星和天鹅座的天津四组成，是夏季星空最好找的标志。",
            "银河从东北方向西南方横贯夜空，在远离城市灯光的地方才能看清。"
            "牛郎星和织女星分别位于银河两岸，中国古代“鹊桥相会”的传说就来源于此。",
            "南方低空有一颗红色的亮星，它是天蝎座的心宿二。天蝎座的形状像一只弯着尾巴的蝎子，"
            "很容易辨认。观星时可以带一张星图，用红光手电照明，以免影响眼睛对暗光的适应。",
        ],
    ),
    _resource(
        "traffic-safety",
        "上下学路上的交通安全",
        summary=(
            "过马路走斑马线、不在车辆盲区停留、乘车系好安全带，"
            "动画情景剧帮助小学生牢记交通安全规则。"
        ),
        tags=["交通安全", "安全教育"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="东山",
        year=2021,
        duration=240,
        views=1580,
    ),
    _resource(
        "reading-notes",
        "暑期阅读与读书笔记方法",
        summary=(
            "课件介绍摘抄、批注、思维导图等读书笔记方法，推荐适合小学和初中学生的暑期阅读书目。"
        ),
        tags=["阅读", "读书笔记"],
        kind="courseware",
        category="青少年校外",
        audience="青少年",
        street="江宁",
        year=2022,
        views=720,
    ),
    _resource(
        "niushou-nature",
        "牛首山自然研学：植物观察",
        summary=(
            "跟着老师走进山林，观察枫香、青冈和野生兰花，用放大镜和自然笔记记录植物的叶、花、果。"
        ),
        tags=["自然研学", "植物"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="谷里",
        year=2024,
        duration=1540,
        views=1170,
    ),
    _resource(
        "tangshan-ape-man",
        "汤山葫芦洞：南京猿人的故事",
        summary=(
            "1993年，汤山葫芦洞出土了南京直立人头骨化石。课程带孩子走进遗址博物馆，"
            "了解人类起源的奥秘。"
        ),
        tags=["古人类", "研学"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="汤山",
        year=2022,
        duration=1150,
        views=1640,
    ),
    _resource(
        "origami",
        "折纸：立体动物造型",
        summary="用一张正方形的纸折出小狐狸、青蛙和仙鹤，锻炼孩子的空间想象力和动手能力。",
        tags=["折纸", "手工"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="湖熟",
        year=2023,
        duration=290,
        views=860,
    ),
    _resource(
        "go-chess",
        "围棋入门：吃子与做活",
        summary=(
            "少儿围棋教材，从气和提子讲起，学习打吃、双吃、征子等吃子方法，"
            "理解两只眼才能活棋的道理，每课附练习题。"
        ),
        tags=["围棋", "棋类"],
        kind="textbook",
        category="青少年校外",
        audience="青少年",
        street="湖熟",
        year=2022,
        views=1110,
        pages=[
            "第一课 气。棋子在棋盘上直线相邻的空交叉点叫做“气”。一颗棋子在中间有四口气，"
            "在边上有三口气，在角上只有两口气。当一方棋子的气全部被对方堵住时，就要从棋盘上提走。",
            "第三课 征子。征子是一种连续打吃的吃子方法，被征的棋子像走楼梯一样逃跑，"
            "最终被逼到棋盘边上吃掉。征子前要先看清逃跑路线上有没有对方的接应子，否则征子会失败。",
            "第六课 做活。一块棋要活下来，必须有两只真眼。对方无法同时填满两只眼，"
            "这块棋就永远不会被吃掉。真眼和假眼的区别，在于眼位周围的斜角是否被对方占据。",
        ],
    ),
    _resource(
        "adolescent-emotions",
        "青春期情绪管理小课堂",
        summary=(
            "课件帮助初中学生认识焦虑、愤怒等情绪，学习深呼吸、写情绪日记、找人倾诉等调节方法。"
        ),
        tags=["心理健康", "情绪管理"],
        kind="courseware",
        category="青少年校外",
        audience="青少年",
        street="秣陵",
        year=2023,
        views=640,
    ),
    _resource(
        "labor-cooking",
        "劳动教育：学做番茄炒蛋",
        summary="从洗菜、打蛋到开火翻炒，孩子在家长陪同下完成一道家常菜，体会劳动的辛苦和快乐。",
        tags=["劳动教育", "家常菜"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="禄口",
        year=2022,
        duration=380,
        views=1390,
    ),
    _resource(
        "fire-escape",
        "家庭消防安全与逃生演练",
        summary="认识家中的火灾隐患，学会使用灭火器，用湿毛巾捂住口鼻、弯腰低姿沿安全出口撤离。",
        tags=["消防安全", "应急演练"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="禄口",
        year=2024,
        duration=560,
        views=1230,
    ),
    _resource(
        "youth-study-reader",
        "江宁少年研学读本",
        summary=(
            "为中小学生编写的家乡研学读本，选取十个研学点，每站配有观察任务单，"
            "带孩子走近家乡的山水和历史。"
        ),
        tags=["研学旅行", "家乡文化"],
        kind="reader",
        category="青少年校外",
        audience="青少年",
        street="谷里",
        year=2024,
        views=910,
        pages=[
            "第一站 牛首山。牛首山因山顶双峰对峙、形似牛头而得名。春天漫山开满杜鹃花，"
            "自古就有“春牛首”的说法。请你在登山途中数一数，你能认出几种不同的树木？",
            "第二站 汤山。汤山的温泉已有一千五百多年的利用历史。在南京直立人遗址博物馆里，"
            "你可以看到葫芦洞里发现的古人类头骨化石。想一想：几十万年前的人类是怎样生活的？",
            "第三站 杨柳村。杨柳村保存着成片的明清古建筑，高高的马头墙、精美的砖雕木雕让人流连。"
            "请你找一找门楼上的雕刻图案，把你最喜欢的一幅画在任务单上。",
            "研学小贴士。出发前准备好水杯、帽子和笔记本，听从带队老师安排，不离队、不掉队。"
            "在景区和古建筑里爱护文物，不乱刻乱画，垃圾随手带走。",
        ],
    ),
    _resource(
        "model-aircraft",
        "航模制作与放飞体验",
        summary=(
            "在禄口机场附近了解飞机为什么能飞起来，动手制作橡筋动力滑翔机，"
            "比一比谁的飞机飞得又远又稳。"
        ),
        tags=["航模", "航空科普"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="禄口",
        year=2025,
        duration=1340,
        views=820,
    ),
    _resource(
        "kite",
        "传统风筝扎制与放飞",
        summary="选竹、削篾、扎骨架、糊风筝面，学做一只沙燕风筝，在春天的田野里放飞。",
        tags=["风筝", "传统手工"],
        kind="video",
        category="青少年校外",
        audience="青少年",
        street="谷里",
        year=2021,
        duration=1490,
        views=670,
    ),
    _resource(
        "anti-bullying",
        "预防校园欺凌：勇敢说不",
        summary=(
            "课件通过情景案例区分玩笑和欺凌，教会学生遇到欺凌时保护自己、及时告诉老师和家长，"
            "也学会不做旁观者。"
        ),
        tags=["校园安全", "自我保护"],
        kind="courseware",
        category="青少年校外",
        audience="青少年",
        street="东山",
        year=2024,
        views=780,
    ),
    _resource(
        "tech-making-book",
        "科技小制作实践教程",
        summary=(
            "青少年科技活动教材，指导学生制作太阳能小车、简易电动机和水火箭，"
            "在动手中理解能量转换的原理。"
        ),
        tags=["科技制作", "动手实践"],
        kind="textbook",
        category="青少年校外",
        audience="青少年",
        street="麒麟",
        year=2025,
        views=590,
        pages=[
            "第一课 太阳能小车。把太阳能电池板、微型电机和车轮固定在泡沫底板上，"
            "用导线连接好正负极。把小车放在阳光下，电池板把光能转化为电能，电机带动车轮转动。",
            "第二课 简易电动机。用漆包线绕成线圈，两端刮去绝缘漆，架在回形针做的支架上，"
            "下面放一块磁铁，接通电池后轻轻拨动线圈，它就会持续转动起来。",
            "第三课 水火箭。在塑料瓶中装入三分之一的水，用打气筒向瓶内打气。当瓶内气压足够大时，"
            "水从瓶口向下喷出，瓶子获得向上的推力飞上天空。发射时人要远离发射架。",
        ],
    ),
    # 家庭教育
    _resource(
        "parent-child-listening",
        "亲子沟通：学会倾听孩子",
        summary=(
            "孩子放学回家说“今天不开心”，家长该怎么接话？课程示范积极倾听的三个步骤：停下来、"
            "复述感受、一起想办法。"
        ),
        tags=["亲子沟通", "倾听"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="江宁",
        year=2023,
        duration=860,
        views=2480,
        award="二等奖",
    ),
    _resource(
        "parent-child-language",
        "亲子沟通中的温和与坚定",
        summary="既不吼叫也不放任：用描述代替指责，用选择代替命令，在尊重孩子的同时守住规则。",
        tags=["亲子沟通", "正面管教"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="江宁",
        year=2024,
        duration=1240,
        views=1560,
    ),
    _resource(
        "parent-child-book",
        "亲子沟通实用手册",
        summary=(
            "家长学校配套手册，按幼儿、小学、初中三个阶段整理亲子沟通的常见难题和应对话术，"
            "每节附家庭练习。"
        ),
        tags=["亲子沟通", "家长学校"],
        kind="textbook",
        category="家庭教育",
        audience="家长",
        street="麒麟",
        year=2022,
        views=1170,
        pages=[
            "幼儿阶段。三到六岁的孩子语言表达能力有限，常用哭闹表达需求。"
            "家长可以蹲下来与孩子平视，帮他说出感受：“你是因为积木倒了才生气的，对吗？”"
            "被理解的孩子会更快平静下来。",
            "小学阶段。孩子开始有了自己的朋友和秘密。每天留出十分钟聊天时间，不问成绩，"
            "只聊今天发生的有趣的事。家长先分享自己的一天，孩子往往也愿意开口。",
            "初中阶段。青春期的孩子渴望被当作大人对待。家长说话少用“你必须”，多用“你怎么看”。"
            "发生冲突时，先暂停，等双方情绪平复后再谈，避免在气头上说伤人的话。",
            "家庭练习。本周请尝试一次不打断的倾听：孩子说话时，放下手机，看着他的眼睛，不插话、"
            "不评价，只在最后复述一句他的感受。记录下孩子的反应，在下次家长课堂上分享。",
        ],
    ),
    _resource(
        "family-law-video",
        "家庭教育促进法解读",
        summary=(
            "2022年1月1日起施行的家庭教育促进法，明确了父母是家庭教育的第一责任人。"
            "课程解读法律要点和家长的具体责任。"
        ),
        tags=["家庭教育促进法", "依法带娃"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="东山",
        year=2022,
        duration=1580,
        views=2760,
        award="一等奖",
    ),
    _resource(
        "family-law-reader",
        "家庭教育促进法市民读本",
        summary=(
            "以案释法的普及读本，结合社区家庭教育指导中的真实情境，"
            "讲解家庭教育促进法中与家长密切相关的条款。"
        ),
        tags=["家庭教育促进法", "法治宣传"],
        kind="reader",
        category="家庭教育",
        audience="家长",
        street="东山",
        year=2023,
        views=1340,
        pages=[
            "家庭教育促进法规定，未成年人的父母或者其他监护人负责实施家庭教育。也就是说，"
            "家庭教育不是学校的事，也不只是妈妈的事，父母双方都要共同参与、相互配合。",
            "法律提倡家长合理安排未成年人学习、休息、娱乐和体育锻炼的时间，避免加重学习负担。"
            "这提醒家长，孩子的课外时间不应被补习班排满，充足的睡眠和运动同样重要。",
            "父母分居或者离异的，也应当相互配合履行家庭教育责任，任何一方不得拒绝或者怠于履行。"
            "不直接抚养孩子的一方，要保持与孩子的联系，关心孩子的成长。",
        ],
    ),
    _resource(
        "family-law-draft",
        "家庭教育促进法解读（送审稿）",
        summary="课件送审稿，补充了家庭教育指导服务的最新要求和两个社区案例，待区社区学院审核。",
        tags=["家庭教育促进法"],
        kind="courseware",
        category="家庭教育",
        audience="家长",
        street="东山",
        year=2024,
        views=4,
        status="submitted",
    ),
    _resource(
        "homework",
        "陪孩子写作业不吼不叫",
        summary="把大任务拆成小目标，用计时器帮助孩子专注，家长只检查不代劳，写作业不再鸡飞狗跳。",
        tags=["学习习惯", "作业辅导"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="秣陵",
        year=2023,
        duration=730,
        views=3010,
    ),
    _resource(
        "screen-time",
        "孩子沉迷手机怎么办",
        summary=(
            "与孩子共同制定使用手机的家庭公约，设置屏幕使用时间，用户外运动和家庭活动替代刷手机。"
        ),
        tags=["网络沉迷", "家庭规则"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="汤山",
        year=2024,
        duration=940,
        views=2870,
    ),
    _resource(
        "picture-book",
        "亲子共读：绘本阅读方法",
        summary=(
            "怎样给孩子读绘本？看封面猜故事、读图找细节、边读边提问，"
            "让睡前二十分钟成为温暖的亲子时光。"
        ),
        tags=["亲子阅读", "绘本"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="谷里",
        year=2022,
        duration=620,
        views=1690,
    ),
    _resource(
        "infant-sleep",
        "0至3岁婴幼儿睡眠习惯培养",
        summary=(
            "建立固定的睡前程序，分辨夜醒原因，讲解婴幼儿各月龄的睡眠需求，帮助新手爸妈睡个好觉。"
        ),
        tags=["婴幼儿照护", "睡眠"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="禄口",
        year=2021,
        duration=1010,
        views=1120,
    ),
    _resource(
        "adolescent-parents",
        "青春期孩子的家长必修课",
        summary=(
            "课件介绍青春期的生理和心理变化，分析叛逆背后的需求，为家长提供尊重边界、"
            "有效沟通的具体建议。"
        ),
        tags=["青春期", "家长课堂"],
        kind="courseware",
        category="家庭教育",
        audience="家长",
        street="麒麟",
        year=2023,
        views=990,
    ),
    _resource(
        "grandparenting",
        "隔代教养：祖辈怎样带孙辈",
        summary=(
            "老人带娃容易包办和溺爱。课程讲述祖辈与父母如何统一教育理念，发挥祖辈陪伴多、"
            "经验足的优势。"
        ),
        tags=["隔代教养", "祖辈家长"],
        kind="video",
        category="家庭教育",
        audience="老年人",
        street="湖熟",
        year=2022,
        duration=1120,
        views=1830,
    ),
    _resource(
        "family-tradition",
        "好家风：家规家训的传承",
        summary=(
            "横溪街道收集整理的家风读本，讲述一代代传下来的家训故事，引导家长以身作则涵养好家风。"
        ),
        tags=["家风家训", "传统美德"],
        kind="reader",
        category="家庭教育",
        audience="家长",
        street="横溪",
        year=2023,
        views=1370,
        pages=[
            "横溪一户陶姓人家的堂屋里，挂着祖上传下来的家训：“勤俭持家，耕读传家。”"
            "八十多岁的老人说，小时候家里再穷，父亲也要供孩子们读书。",
            "好家风不是贴在墙上的标语，而是藏在日常生活里的习惯：吃饭时长辈先动筷子，"
            "借了别人的东西按时归还，答应别人的事情一定做到。孩子就在这些小事中慢慢长大。",
            "建议每个家庭和孩子一起商量几条家规，写下来贴在家里显眼的地方，每年春节前回顾一次："
            "哪些做到了，哪些还要改进。家规不在多，关键在坚持。",
        ],
    ),
    _resource(
        "exam-support",
        "中考前的家庭心理支持",
        summary=(
            "考前焦虑很正常。课件建议家长稳住自己的情绪，保证孩子的饮食和睡眠，少唠叨多陪伴，"
            "和孩子一起想办法。"
        ),
        tags=["升学考试", "心理支持"],
        kind="courseware",
        category="家庭教育",
        audience="家长",
        street="东山",
        year=2025,
        views=1460,
    ),
    _resource(
        "breakfast",
        "儿童营养早餐搭配",
        summary=(
            "谷物、蛋奶、蔬果三类搭配，十分钟做出营养早餐；讲解常见误区，如用饮料代替牛奶、"
            "只吃油条不吃蔬菜。"
        ),
        tags=["儿童营养", "早餐"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="秣陵",
        year=2022,
        duration=330,
        views=1640,
    ),
    _resource(
        "parent-school-book",
        "家长学校教材：做智慧父母",
        summary=(
            "淳化街道家长学校统一教材，共十二课，涵盖习惯养成、情绪管理、学习支持、"
            "安全教育和家校合作。"
        ),
        tags=["家长学校", "家庭教育"],
        kind="textbook",
        category="家庭教育",
        audience="家长",
        street="淳化",
        year=2022,
        views=1250,
        pages=[
            "第一课 习惯的力量。好习惯是孩子终身受益的财富。培养习惯要从小事做起，"
            "比如每天按时起床、自己整理书包。一个习惯的养成通常需要三周以上，家长要有耐心，"
            "及时肯定孩子的进步。",
            "第三课 看见孩子的情绪。孩子发脾气时，先处理情绪，再处理事情。"
            "家长可以说“我知道你很失望”，而不是“这有什么好哭的”。情绪被接纳后，"
            "孩子才有能力听进道理。",
            "第五课 学习支持。家长不必成为孩子的第二个老师，更重要的是营造安静的学习环境，"
            "保护孩子的好奇心。孩子遇到难题时，先问“你是怎么想的”，而不是直接给出答案。",
            "第八课 安全教育。教孩子记住父母的电话和家庭住址，不给陌生人开门，不跟陌生人走。"
            "外出时约定走散后的集合地点。这些内容要在家中通过情景游戏反复练习。",
            "第十二课 家校合作。家长与老师是同盟军。对学校的安排有疑问时，通过家长会、"
            "家访等正常渠道沟通，不在班级群里发泄情绪。孩子在场时，不要贬低老师。",
        ],
    ),
    _resource(
        "left-behind",
        "留守儿童关爱与陪伴指导",
        summary=(
            "面向社区教育工作者和志愿者的课件，介绍留守儿童的心理需求、"
            "结对帮扶方法和视频家长会的组织经验。"
        ),
        tags=["留守儿童", "关爱服务"],
        kind="courseware",
        category="家庭教育",
        audience="社区教育教师",
        street="淳化",
        year=2021,
        views=580,
    ),
    _resource(
        "body-safety",
        "儿童自我保护：身体边界",
        summary=(
            "用绘本和儿歌告诉孩子：背心和短裤遮住的地方不让别人碰，"
            "遇到让自己不舒服的触碰要大声说不、马上告诉爸妈。"
        ),
        tags=["自我保护", "安全教育"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="禄口",
        year=2024,
        duration=480,
        views=1280,
    ),
    _resource(
        "siblings",
        "二孩家庭的手足关系",
        summary=(
            "老大为什么突然“退化”？课程分析二孩到来后大宝的心理变化，教家长公平对待、单独陪伴，"
            "化解手足争吵。"
        ),
        tags=["多孩家庭", "手足关系"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="汤山",
        year=2023,
        duration=1070,
        views=1030,
    ),
    _resource(
        "family-qa-reader",
        "家庭教育百问百答",
        summary=(
            "汇集家长学校课堂上收集的一百个真实提问，由区家庭教育指导中心的专家逐一作答，"
            "便于家长随手翻阅。"
        ),
        tags=["家庭教育", "家长课堂"],
        kind="reader",
        category="家庭教育",
        audience="家长",
        street="江宁",
        year=2024,
        views=1410,
        pages=[
            "问：孩子做事拖拉怎么办？答：先找原因，是任务太难、不感兴趣还是时间观念不强。"
            "可以和孩子一起把任务写在清单上，每完成一项打一个勾，让进度看得见。",
            "问：孩子总说“别人家都有”，要不要满足？答：可以听听孩子为什么想要，"
            "再说明家里的考虑。适当的延迟满足有助于培养自控力，比如约定攒零花钱自己买。",
            "问：孩子被同学起外号，家长要出面吗？答：先倾听孩子的感受，和孩子商量应对办法。"
            "如果起外号的情况持续发生，并影响到孩子的情绪和学习，要及时与班主任沟通。",
            "问：爷爷奶奶太宠孩子怎么办？答：私下和老人沟通，肯定老人的付出，"
            "再说明统一规则的重要性。不要当着孩子的面争执，也可以请老人一起参加家长学校的课程。",
        ],
    ),
    _resource(
        "chores",
        "让孩子做家务的年龄清单",
        summary=(
            "两岁收玩具，五岁摆碗筷，八岁洗袜子，十二岁做一顿饭。按年龄安排适合的家务，"
            "培养孩子的责任感。"
        ),
        tags=["劳动教育", "生活自理"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="谷里",
        year=2025,
        duration=280,
        views=1190,
    ),
    _resource(
        "tantrum",
        "孩子发脾气时家长怎么做",
        summary=(
            "示范情绪急救四步：保证安全、陪伴等待、说出情绪、事后复盘，避免以暴制暴，也不一味妥协。"
        ),
        tags=["情绪管理", "正面管教"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="淳化",
        year=2024,
        duration=540,
        views=1350,
    ),
    _resource(
        "dad-role",
        "爸爸带娃：父亲参与育儿",
        summary=(
            "父亲的陪伴对孩子的勇气和规则意识影响深远。课程分享爸爸们带娃运动、"
            "户外探索和共读的好办法。"
        ),
        tags=["父亲参与", "亲子陪伴"],
        kind="video",
        category="家庭教育",
        audience="家长",
        street="麒麟",
        year=2025,
        duration=1260,
        views=860,
    ),
    _resource(
        "instructor-book",
        "家庭教育指导服务实务",
        summary=(
            "面向社区家庭教育指导师的培训教材，讲解个案咨询、"
            "家长沙龙组织和家庭教育指导服务站点的运营。"
        ),
        tags=["家庭教育指导", "社区教育"],
        kind="textbook",
        category="家庭教育",
        audience="社区教育教师",
        street="江宁",
        year=2025,
        views=460,
        pages=[
            "第一章 个案咨询。接待家长咨询时，先建立信任关系，耐心倾听家长的困惑，"
            "再通过提问了解家庭结构、孩子的成长经历和近期变化。咨询记录要妥善保管，保护家庭隐私。",
            "第二章 家长沙龙。沙龙以十到十五位家长为宜，围绕一个具体话题展开，"
            "比如“孩子不愿上学怎么办”。主持人要引导家长分享经验，而不是单向讲课，"
            "结束时请每位家长说一条收获。",
            "第三章 站点运营。社区家庭教育指导服务站要有固定的场地、开放时间和专兼职指导人员。"
            "每学期制定活动计划，建立服务台账，定期收集家长意见，不断改进服务内容。",
        ],
    ),
    _resource(
        "minor-online",
        "未成年人网络保护与防沉迷",
        summary=(
            "课件解读未成年人网络保护的有关规定，指导家长开启青少年模式、"
            "管理游戏充值和识别网络不良信息。"
        ),
        tags=["网络保护", "防沉迷"],
        kind="courseware",
        category="家庭教育",
        audience="家长",
        street="江宁",
        year=2023,
        views=940,
    ),
    _resource(
        "reading-home-book",
        "家庭阅读环境营造指南",
        summary="书香家庭创建活动配套教材，指导家长布置家庭阅读角、选择分级读物、开展家庭读书会。",
        tags=["亲子阅读", "书香家庭"],
        kind="textbook",
        category="家庭教育",
        audience="家长",
        street="谷里",
        year=2023,
        views=610,
        pages=[
            "第一节 阅读角。在客厅或孩子房间找一个光线充足的角落，放上低矮的书架和坐垫，"
            "书封朝外摆放，方便孩子自己取阅。阅读角不放电视和电子产品，让孩子一进来就能安静下来。",
            "第二节 选书。给孩子选书要看年龄，也要看兴趣。低龄儿童以图画书为主，"
            "小学中高年级可以逐步过渡到桥梁书和文字书。每月带孩子去一次社区图书馆，"
            "让孩子自己挑选。",
            "第三节 家庭读书会。每周固定一个晚上，全家人各自读书半小时，然后轮流说说读到了什么。"
            "家长的示范最有说服力，爱读书的父母更容易培养出爱读书的孩子。",
        ],
    ),
    # 党史学习
    _resource(
        "red-jiangning",
        "红色江宁：革命遗址寻访",
        summary=(
            "建党百年之际，走访江宁境内的革命遗址和纪念地，"
            "讲述发生在这片土地上的革命斗争和英雄人物。"
        ),
        tags=["红色江宁", "革命遗址"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="横溪",
        year=2021,
        duration=1720,
        views=2210,
        award="一等奖",
    ),
    _resource(
        "red-jiangning-book",
        "红色江宁：革命故事选编",
        summary=(
            "区委党史工作部门指导编写，选取抗日战争和解放战争时期发生在江宁的革命故事，"
            "适合党员和青少年阅读。"
        ),
        tags=["红色江宁", "革命故事"],
        kind="textbook",
        category="党史学习",
        audience="社区居民",
        street="江宁",
        year=2022,
        views=1380,
        pages=[
            "抗日战争时期，新四军在江宁南部的横山一带开辟抗日根据地，坚持敌后游击战争。"
            "当地群众为部队送粮送信、掩护伤员，军民鱼水情深。"
            "这段历史至今仍在横溪一带的老人口中流传。",
            "根据地的群众组织起抗日自卫队，白天下地种田，夜里站岗放哨。"
            "乡亲们把部队的伤员藏在自家的草堆里，敌人多次搜查都没有发现，伤员养好伤又回到了队伍。",
            "一九四九年四月，人民解放军发起渡江战役，百万雄师突破长江防线。"
            "江宁地区的地下党组织积极配合，组织群众护厂护校，为迎接解放做了大量工作。",
            "今天，江宁区已建成多处党史教育基地，每年有大批党员和学生前来参观学习。"
            "重温革命先辈的故事，是为了更好地传承红色基因，走好新时代的长征路。",
        ],
    ),
    _resource(
        "party-story-nanhu",
        "党史故事：南湖红船",
        summary=(
            "1921年，中共一大在嘉兴南湖的一条游船上闭幕，宣告中国共产党诞生。"
            "微课用动画讲述红船启航的故事。"
        ),
        tags=["党史故事", "建党"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="东山",
        year=2021,
        duration=520,
        views=2640,
        award="二等奖",
    ),
    _resource(
        "party-story-draft",
        "党史故事：南湖红船（修改稿）",
        summary="按评审专家意见修改了配音和片尾字幕，修改稿尚未提交街道审核，暂不公开。",
        tags=["党史故事"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="东山",
        year=2022,
        duration=530,
        views=3,
        status="draft",
    ),
    _resource(
        "party-story-zunyi",
        "党史故事：遵义会议",
        summary=(
            "遵义会议是党的历史上一个生死攸关的转折点。课程讲述会议召开的背景、"
            "经过和深远的历史意义。"
        ),
        tags=["党史故事", "长征"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="东山",
        year=2021,
        duration=560,
        views=1980,
    ),
    _resource(
        "party-story-xiaogang",
        "党史故事：小岗村的红手印",
        summary=(
            "1978年冬，小岗村十八户农民按下红手印，拉开了农村改革的序幕。"
            "课程讲述改革开放初期的探索和勇气。"
        ),
        tags=["党史故事", "改革开放"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="秣陵",
        year=2022,
        duration=600,
        views=1240,
    ),
    _resource(
        "hengshan-base-reader",
        "横山抗日根据地史话",
        summary=(
            "讲述抗战时期横山抗日根据地的创建与发展，收录老战士和当地群众的口述回忆，"
            "配有历史照片和遗址导览图。"
        ),
        tags=["抗日根据地", "地方党史"],
        kind="reader",
        category="党史学习",
        audience="社区居民",
        street="横溪",
        year=2023,
        views=820,
        pages=[
            "横山位于江宁、溧水、当涂三地交界，山高林密，地势险要。抗战爆发后，"
            "新四军部队进入苏南，在横山一带发动群众，逐步建立起抗日民主政权。",
            "一位老战士回忆：那时候条件很苦，战士们穿草鞋、吃野菜，但没有人叫苦。"
            "老百姓把最好的房子让给部队住，自己挤在牛棚里。打了胜仗，全村的人都出来欢迎。",
            "根据地建立后，开展减租减息，兴办冬学，组织妇女纺纱织布支援前线。"
            "许多青年在冬学里第一次学会了写自己的名字，也是在那里第一次听到了共产党的主张。",
            "如今，横山脚下建起了纪念馆，陈列着当年的枪支、油灯和书信。每逢清明，"
            "附近的中小学生都会来这里祭扫烈士墓，聆听老党员讲述根据地的故事。",
        ],
    ),
    _resource(
        "crossing-river",
        "渡江战役与江宁解放",
        summary=(
            "1949年4月，人民解放军百万雄师过大江。课程结合史料讲述江宁地区地下党配合大军渡江、"
            "迎接解放的经过。"
        ),
        tags=["渡江战役", "解放战争"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="江宁",
        year=2024,
        duration=1930,
        views=1170,
    ),
    _resource(
        "party-constitution",
        "新时代党章学习要点",
        summary=(
            "课件梳理党章总纲和各章的核心内容，解读党员的义务和权利，配有学习自测题，"
            "供基层党组织开展学习使用。"
        ),
        tags=["党章", "理论学习"],
        kind="courseware",
        category="党史学习",
        audience="社区居民",
        street="麒麟",
        year=2023,
        views=690,
    ),
    _resource(
        "twentieth-congress",
        "党的二十大精神学习辅导",
        summary=(
            "围绕中国式现代化、高质量发展等关键词，为社区党员提供二十大精神的学习辅导课件和讨论题。"
        ),
        tags=["二十大", "理论学习"],
        kind="courseware",
        category="党史学习",
        audience="社区居民",
        street="东山",
        year=2022,
        views=1050,
    ),
    _resource(
        "party-history-book",
        "中国共产党历史简明读本",
        summary=(
            "党史学习教育用书，按新民主主义革命、社会主义革命和建设、改革开放、新时代四个时期编排。"
        ),
        tags=["党史学习", "理论学习"],
        kind="textbook",
        category="党史学习",
        audience="社区居民",
        street="江宁",
        year=2021,
        views=1560,
        pages=[
            "第一章 开天辟地。一九二一年七月，中国共产党第一次全国代表大会在上海召开，"
            "后转移到浙江嘉兴南湖的游船上继续举行。大会确定党的名称为中国共产党，"
            "中国革命从此有了坚强的领导核心。",
            "第二章 星火燎原。大革命失败后，党领导了南昌起义、秋收起义和广州起义，"
            "开始独立领导武装斗争。毛泽东率领部队上井冈山，开辟了农村包围城市、"
            "武装夺取政权的革命道路。",
            "第三章 抗日烽火。全民族抗战爆发后，党倡导建立抗日民族统一战线，八路军、"
            "新四军深入敌后，开辟抗日根据地，成为全民族抗战的中流砥柱。",
            "第四章 改革开放。一九七八年十二月，党的十一届三中全会作出把党和国家工作中心转移到经济"
            "建设上来的战略决策，实行改革开放，中国大地焕发出勃勃生机。",
            "第五章 新时代。党的十八大以来，中国特色社会主义进入新时代。"
            "全面建成小康社会的目标如期实现，历史性地解决了绝对贫困问题，"
            "正在向第二个百年奋斗目标进军。",
        ],
    ),
    _resource(
        "grassroots-meeting",
        "基层党组织“三会一课”规范",
        summary=(
            "党务工作培训教材，讲解支部党员大会、支部委员会、党小组会和党课的召开频次、"
            "议程和记录要求，附会议记录样例。"
        ),
        tags=["三会一课", "党建"],
        kind="textbook",
        category="党史学习",
        audience="社区居民",
        street="江宁",
        year=2023,
        views=760,
        pages=[
            "第一章 支部党员大会。支部党员大会一般每季度召开一次，由支部委员会召集。"
            "会议要有半数以上有表决权的党员到会方可召开，讨论决定重要事项时，"
            "赞成人数超过应到会有表决权党员的半数为通过。",
            "第二章 支部委员会与党小组会。支部委员会一般每月召开一次，研究支部的日常工作。"
            "党小组会一般每月召开一次，组织党员学习、开展批评和自我批评、汇报思想和工作情况。",
            "第三章 党课与会议记录。党课一般每季度至少一次，支部书记每年至少讲一次党课。"
            "各类会议都要做好记录，写明时间、地点、出席人员、议题和决定事项，由记录人签字后归档。",
        ],
    ),
    _resource(
        "party-volunteer",
        "党员志愿服务在社区",
        summary=(
            "走进秣陵街道的社区，记录党员志愿者为独居老人送餐、帮居民调解矛盾、"
            "组织垃圾分类宣传的日常。"
        ),
        tags=["志愿服务", "党员先锋"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="秣陵",
        year=2024,
        duration=700,
        views=890,
    ),
    _resource(
        "reform-jiangning",
        "改革开放以来的江宁发展",
        summary="市民读本，用老照片和亲历者口述，回顾江宁撤县设区、开发区建设和乡村振兴的历程。",
        tags=["改革开放", "江宁发展"],
        kind="reader",
        category="党史学习",
        audience="社区居民",
        street="麒麟",
        year=2025,
        views=720,
        pages=[
            "上世纪八十年代，江宁还是一个以农业为主的县。一位老人回忆，"
            "那时候从乡下进城要坐几个小时的车，家家户户种稻养猪，日子过得紧巴巴。",
            "一九九二年，江宁经济技术开发区开始建设。一片片农田上建起了厂房，"
            "许多本地年轻人第一次走进工厂，成为产业工人。二〇〇〇年江宁撤县设区，"
            "城市建设的步伐明显加快。",
            "如今，地铁通到了家门口，大学城、科技城相继建成，乡村也在发生变化。黄龙岘、大塘金、"
            "石塘人家等美丽乡村成了城里人周末游玩的好去处。",
        ],
    ),
    _resource(
        "rural-party-book",
        "农村党员实用读本",
        summary="面向农村党员的学习教材，内容包括党的基本知识、村级组织建设和带头致富的典型经验。",
        tags=["农村党员", "乡村振兴"],
        kind="textbook",
        category="党史学习",
        audience="农民",
        street="湖熟",
        year=2022,
        views=540,
        pages=[
            "第一章 党员的标准。共产党员要在生产、工作、学习和社会生活中起先锋模范作用。在农村，"
            "就是要带头遵纪守法、带头移风易俗、带头发展产业、带头参与村里的公共事务。",
            "第二章 村级组织。村党组织是党在农村全部工作和战斗力的基础。"
            "村里的重大事项实行“四议两公开”，即党组织提议、村“两委”会议商议、党员大会审议、"
            "村民代表会议决议，决议公开、实施结果公开。",
            "第三章 带头致富。湖熟街道一位老党员带领村民成立菊花种植合作社，统一供苗、统一技术、"
            "统一收购，几年下来，参加合作社的农户收入普遍提高了。",
        ],
    ),
    _resource(
        "yuhua-martyrs",
        "雨花英烈的信仰故事",
        summary="讲述恽代英、邓中夏等雨花英烈坚守信仰、视死如归的故事，引导党员群众传承红色基因。",
        tags=["雨花英烈", "理想信念"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="东山",
        year=2023,
        duration=880,
        views=1310,
    ),
    _resource(
        "long-march-reader",
        "长征路上的青春故事",
        summary="面向青少年的党史读本，讲述长征途中年轻红军战士的故事，让孩子们感受信念的力量。",
        tags=["长征精神", "青年"],
        kind="reader",
        category="党史学习",
        audience="青少年",
        street="谷里",
        year=2024,
        views=650,
        pages=[
            "过草地时，十几岁的小战士把仅剩的一点青稞面留给了伤员，自己嚼草根充饥。他说："
            "“我年纪小，扛得住。”那片草地一眼望不到边，很多人再也没能走出去。",
            "飞夺泸定桥的二十二名勇士，大多是二十岁上下的年轻人。他们冒着枪林弹雨，"
            "攀着铁索向对岸冲锋，为大部队打开了北上的通道，创造了战争史上的奇迹。",
            "长征胜利后，毛泽东说，长征是宣言书，长征是宣传队，长征是播种机。"
            "今天的青少年没有经历过那样的艰难，但长征精神中不怕困难、勇往直前的品格，"
            "同样值得我们学习。",
        ],
    ),
    _resource(
        "party-quiz",
        "党史知识竞赛题解",
        summary=(
            "汇编社区党史知识竞赛的必答题、抢答题和风险题，逐题给出答案和解析，"
            "方便各社区组织学习活动。"
        ),
        tags=["党史学习", "知识竞赛"],
        kind="courseware",
        category="党史学习",
        audience="社区居民",
        street="淳化",
        year=2021,
        views=1420,
    ),
    _resource(
        "party-centenary",
        "建党百年：从一大到新时代",
        summary="一部长约四十分钟的专题片，按时间顺序梳理中国共产党的百年奋斗历程和历史经验。",
        tags=["建党百年", "党史学习"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="禄口",
        year=2021,
        duration=2460,
        views=1750,
    ),
    _resource(
        "lei-feng",
        "中国共产党人精神谱系：雷锋精神",
        summary=(
            "学雷锋纪念日特别课程，讲述雷锋的成长经历和“钉子精神”，"
            "介绍江宁社区学雷锋志愿服务的新实践。"
        ),
        tags=["精神谱系", "雷锋精神"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="东山",
        year=2023,
        duration=690,
        views=1060,
    ),
    _resource(
        "youth-party-history",
        "少年讲党史：我心中的英雄",
        summary="秣陵街道的小学生讲述自己心中的英雄：从刘胡兰到黄继光，用稚嫩的声音传递红色故事。",
        tags=["少年讲党史", "红色教育"],
        kind="video",
        category="党史学习",
        audience="青少年",
        street="秣陵",
        year=2022,
        duration=260,
        views=1530,
    ),
    _resource(
        "red-letters-reader",
        "红色家书选读与赏析",
        summary=(
            "选录革命先烈写给亲人的家书，每封信配有写作背景和赏析，让读者感受革命先烈的家国情怀。"
        ),
        tags=["红色家书", "理想信念"],
        kind="reader",
        category="党史学习",
        audience="社区居民",
        street="东山",
        year=2024,
        views=730,
        pages=[
            "夏明翰在就义前给妻子写下家书，叮嘱她坚强地活下去，把孩子抚养成人。"
            "他把对家人的牵挂藏在坚定的信仰背后，字里行间既有柔情，也有铁骨。",
            "林觉民的《与妻书》写于一九一一年广州起义前夕。他在信中说，正是因为深爱妻子，"
            "才愿意为天下人谋永福。这封信后来被选入中学语文课本，感动了一代又一代读者。",
            "读家书，不仅是了解历史，更是一次心灵的对话。建议读者在阅读后写一封给家人的信，"
            "说说自己的理想，也说说对家人的感谢，再读给家人听一听。",
        ],
    ),
    _resource(
        "party-building-book",
        "社区党建工作实务",
        summary=(
            "面向社区党务工作者的培训教材，介绍网格党建、在职党员报到、"
            "居民议事协商等社区党建工作的方法和案例。"
        ),
        tags=["社区党建", "党建引领"],
        kind="textbook",
        category="党史学习",
        audience="社区教育教师",
        street="麒麟",
        year=2025,
        views=480,
        pages=[
            "第一章 网格党建。把党支部或党小组建在网格上，网格党员带头联系居民，收集诉求、"
            "化解矛盾。居民有事找网格员，网格员解决不了的，逐级上报街道协调处理。",
            "第二章 在职党员报到。机关和企事业单位的在职党员到居住地社区报到，认领服务岗位，"
            "参加社区志愿服务。社区建立报到党员台账，定期反馈服务情况。",
            "第三章 议事协商。小区加装电梯、停车难等问题，可以通过居民议事会协商解决。"
            "社区党组织牵头，邀请居民代表、物业和业委会共同参与，协商结果向全体居民公示。",
        ],
    ),
    _resource(
        "new4-army",
        "新四军在江宁的抗战足迹",
        summary=(
            "沿着当年新四军的行军路线，走访横溪、禄口一带的抗战遗址，讲述军民携手抗击日寇的往事。"
        ),
        tags=["新四军", "抗战历史"],
        kind="video",
        category="党史学习",
        audience="社区居民",
        street="横溪",
        year=2022,
        duration=1390,
        views=1190,
    ),
    # 文化艺术
    _resource(
        "brocade-video",
        "江宁织锦：云锦技艺溯源",
        summary=(
            "明清时期，江宁织造为宫廷织办御用锦缎。课程追溯南京云锦的历史，"
            "演示大花楼木织机上的挑花结本和手工织造。"
        ),
        tags=["江宁织锦", "云锦"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="江宁",
        year=2023,
        duration=1270,
        views=1680,
        award="一等奖",
    ),
    _resource(
        "brocade-book",
        "江宁织锦技艺读本",
        summary=(
            "介绍江宁织锦的历史渊源、织造工具、主要技法和传承现状，适合非遗进社区、进校园活动使用。"
        ),
        tags=["江宁织锦", "非遗"],
        kind="textbook",
        category="文化艺术",
        audience="社区居民",
        street="江宁",
        year=2024,
        views=740,
        pages=[
            "第一章 历史渊源。南京织锦历史悠久，元明清三代都在南京设立官办织造机构。"
            "清代江宁织造府专门为宫廷织造锦缎，曹雪芹的祖父曹寅曾任江宁织造。",
            "第二章 织造工具。大花楼木织机长约五点六米、高约四米，需要上下两人配合操作："
            "楼上的拽花工按花本提起经线，楼下的织手投梭织纬。两人一天只能织出五六厘米。",
            "第三章 主要技法。织锦中最具代表性的是妆花技法，采用通经断纬的方法，"
            "每一种颜色的纬线只在需要显花的部位来回织入，"
            "因此一件作品可以配出十几种甚至几十种色彩。",
            "第四章 传承保护。二〇〇九年，南京云锦织造技艺被列入人类非物质文化遗产代表作名录。"
            "如今，社区学院开设织锦体验课，让更多居民亲手摸一摸织机，了解这门古老的手艺。",
        ],
    ),
    _resource(
        "brocade-draft",
        "江宁织锦技艺读本（初稿）",
        summary="读本初稿，历史部分的史料出处尚待核实，图片版权正在办理，暂不公开。",
        tags=["江宁织锦"],
        kind="textbook",
        category="文化艺术",
        audience="社区居民",
        street="江宁",
        year=2023,
        views=2,
        status="draft",
        pages=[
            "第一章 历史渊源（初稿）。元明清三代都在南京设立官办织造机构，"
            "清代江宁织造府专门为宫廷织造锦缎。本节史料出处待编写组逐条核实。",
            "第三章 主要技法（初稿）。妆花技法采用通经断纬的方法，"
            "每一种颜色的纬线只在需要显花的部位织入。此处需补充传承人现场演示的照片和说明文字。",
            "第四章 传承保护（初稿）。介绍南京云锦织造技艺列入人类非物质文化遗产代表作名录的经过，"
            "以及社区学院织锦体验课的开设情况，数据待更新。",
        ],
    ),
    _resource(
        "lantern-lotus",
        "秦淮灯彩：荷花灯扎制",
        summary=(
            "跟随秦淮灯彩传承人学习荷花灯的扎架、裱糊和装饰，了解南京正月十五闹元宵的灯会习俗。"
        ),
        tags=["秦淮灯彩", "非遗"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="东山",
        year=2023,
        duration=1130,
        views=1510,
        award="三等奖",
    ),
    _resource(
        "lantern-rabbit",
        "秦淮灯彩：兔子灯制作",
        summary=(
            "兔子灯是南京孩子最喜爱的花灯。课程示范竹篾骨架的扎制、糊纸和彩绘，装上轮子就能拉着走。"
        ),
        tags=["秦淮灯彩", "元宵节"],
        kind="video",
        category="文化艺术",
        audience="青少年",
        street="东山",
        year=2024,
        duration=940,
        views=1290,
    ),
    _resource(
        "taiji-24",
        "太极拳入门：二十四式",
        summary="分解教学二十四式简化太极拳，每一式讲清手型、步型和呼吸配合，适合中老年人晨练。",
        tags=["太极拳", "健身"],
        kind="video",
        category="文化艺术",
        audience="老年人",
        street="汤山",
        year=2022,
        duration=1980,
        views=2960,
        award="二等奖",
    ),
    _resource(
        "taiji-draft",
        "太极拳入门：二十四式（草稿）",
        summary="重新录制的多机位版本，背面示范镜头尚未剪辑，字幕还需要逐句校对。",
        tags=["太极拳"],
        kind="video",
        category="文化艺术",
        audience="老年人",
        street="汤山",
        year=2025,
        duration=2010,
        views=1,
        status="draft",
    ),
    _resource(
        "taiji-baduanjin",
        "太极拳与八段锦晨练",
        summary=(
            "把太极拳的基本动作和八段锦的八个招式编成二十分钟的晨练套路，动作舒缓，"
            "适合社区晨练团队。"
        ),
        tags=["太极拳", "八段锦"],
        kind="video",
        category="文化艺术",
        audience="老年人",
        street="汤山",
        year=2023,
        duration=1540,
        views=1730,
    ),
    _resource(
        "square-dance-steps",
        "广场舞基本步伐教学",
        summary=(
            "十字步、三步踩、恰恰步……从零基础学起，掌握广场舞最常用的八种步伐，"
            "跟上节奏不再手忙脚乱。"
        ),
        tags=["广场舞", "健身舞"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="麒麟",
        year=2022,
        duration=610,
        views=3420,
    ),
    _resource(
        "square-dance-draft",
        "广场舞基本步伐教学（送审）",
        summary="送审版本增加了慢速跟练环节，等待街道文化站审核通过后再对外发布。",
        tags=["广场舞"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="麒麟",
        year=2024,
        duration=640,
        views=2,
        status="submitted",
    ),
    _resource(
        "square-dance-jasmine",
        "广场舞《茉莉花》分解教学",
        summary=(
            "以江苏民歌《茉莉花》为背景音乐，分段慢速示范动作，再完整跟跳一遍，适合社区舞蹈队排练。"
        ),
        tags=["广场舞", "江苏民歌"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="麒麟",
        year=2023,
        duration=780,
        views=2150,
    ),
    _resource(
        "square-dance-team",
        "广场舞队伍组建与节目编排",
        summary=(
            "课件分享组建社区舞蹈队、选曲编排、队形变化的经验，提醒控制音响音量、合理选择场地，"
            "做到健身不扰民。"
        ),
        tags=["广场舞", "社区文艺"],
        kind="courseware",
        category="文化艺术",
        audience="社区居民",
        street="麒麟",
        year=2024,
        views=580,
    ),
    _resource(
        "chorus-breathing",
        "合唱发声基础训练",
        summary=(
            "从腹式呼吸、哼鸣练习到母音统一，帮助社区合唱团员打好发声基础，唱出和谐统一的声音。"
        ),
        tags=["合唱", "声乐"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="秣陵",
        year=2022,
        duration=1030,
        views=1380,
    ),
    _resource(
        "chorus-parts",
        "社区合唱团声部排练方法",
        summary=(
            "如何分声部、定音准、练和声？结合《歌唱祖国》的排练实例，"
            "讲解合唱指挥在排练中的常用手势。"
        ),
        tags=["合唱", "排练"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="秣陵",
        year=2024,
        duration=1820,
        views=760,
    ),
    _resource(
        "photo-light",
        "摄影入门：光线与构图",
        summary=(
            "认识顺光、侧光、逆光的表现效果，掌握三分法和对称构图，在社区随手拍中拍出有故事的照片。"
        ),
        tags=["摄影", "构图"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="谷里",
        year=2023,
        duration=1260,
        views=1720,
    ),
    _resource(
        "photo-light-draft",
        "摄影入门：光线与构图（草稿）",
        summary="新版本增加了手机摄影的内容，画面调色和片尾字幕尚未完成，暂不发布。",
        tags=["摄影"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="谷里",
        year=2024,
        duration=1240,
        views=1,
        status="draft",
    ),
    _resource(
        "photo-niushou",
        "风光摄影：拍出牛首山之美",
        summary=(
            "清晨的佛顶宫、春天的杜鹃花海、秋天的红枫，摄影老师带你找机位、等光线，拍出山间的四季。"
        ),
        tags=["风光摄影", "佛顶宫"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="谷里",
        year=2024,
        duration=1650,
        views=1060,
    ),
    _resource(
        "tangshan-hot-spring",
        "汤山温泉文化漫谈",
        summary=(
            "汤山温泉自南朝起就有记载，被誉为“千年圣汤”。课程讲述温泉的成因、"
            "历代名人与汤山的故事，以及温泉小镇的发展。"
        ),
        tags=["汤山温泉", "地方文化"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="汤山",
        year=2022,
        duration=1360,
        views=1940,
        award="三等奖",
    ),
    _resource(
        "tangshan-reader",
        "汤山温泉：千年圣汤史话",
        summary="汤山街道编写的地方文化读本，从地质、历史、民俗三个角度讲述汤山温泉的前世今生。",
        tags=["汤山温泉", "地方史"],
        kind="reader",
        category="文化艺术",
        audience="社区居民",
        street="汤山",
        year=2024,
        views=830,
        pages=[
            "汤山温泉的水来自地下深处，水温常年保持在五十度到六十度之间。泉水中含有钙、镁、"
            "锶等多种矿物质，长期以来被当地人用来沐浴和调养身体。",
            "据史料记载，南朝时期就有帝王来汤山沐浴，后人称之为“圣汤”。民国时期，"
            "汤山建起了多处温泉别墅，成为南京近郊著名的休养地。",
            "今天的汤山温泉小镇，既有现代化的温泉度假酒店，也保留着老街上的公共浴室。"
            "街坊邻居们泡完澡，坐在一起喝茶聊天，这是汤山人最惬意的生活方式。",
        ],
    ),
    _resource(
        "yangshan-stele",
        "阳山碑材：明代巨碑之谜",
        summary=(
            "明成祖朱棣为父亲开凿的巨型碑材，因体量太大最终弃置山中。"
            "课程带你探访这处世界罕见的石刻遗迹。"
        ),
        tags=["阳山碑材", "明代石刻"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="汤山",
        year=2023,
        duration=1090,
        views=1150,
    ),
    _resource(
        "niushou-culture",
        "牛首山：天阙春色话古今",
        summary=(
            "地方文化读本，从“春牛首”的民谚讲起，介绍牛首山的历史沿革、"
            "岳飞抗金故垒和佛顶宫的建筑艺术。"
        ),
        tags=["牛首山", "地方文化"],
        kind="reader",
        category="文化艺术",
        audience="社区居民",
        street="谷里",
        year=2025,
        views=970,
        pages=[
            "牛首山双峰对峙，远望如同一对牛角，因此得名。东晋时，有人把双峰比作宫门前的双阙，"
            "称之为“天阙”。南京民间素有“春牛首、秋栖霞”的说法，春天登山踏青是老南京的习俗。",
            "南宋建炎年间，岳飞在牛首山设伏大败金兵，至今山上还留有当年的抗金故垒遗址。"
            "站在遗址上远眺，可以想见当年将士们据险而守的情景。",
            "二〇一五年建成的佛顶宫依山而建，大穹顶与小穹顶相互呼应，"
            "内部装饰融合了传统工艺和现代技术。参观时请保持安静，遵守景区的参观秩序。",
        ],
    ),
    _resource(
        "yangliu-village",
        "杨柳村古建筑群探访",
        summary=(
            "乡土文化读本，带读者走进湖熟街道杨柳村，欣赏明清时期的宅院、门楼和砖雕，"
            "听村里老人讲述朱氏家族的往事。"
        ),
        tags=["杨柳村", "古建筑"],
        kind="reader",
        category="文化艺术",
        audience="社区居民",
        street="湖熟",
        year=2022,
        views=1210,
        pages=[
            "杨柳村位于湖熟街道，村中保存着大片明清时期的古建筑，素有“九十九间半”的说法。"
            "这些宅院多为朱氏家族所建，前后多进，院院相通。",
            "走进宅院，首先映入眼帘的是高大的门楼。门楼上的砖雕刻着戏曲人物、花鸟和吉祥图案，"
            "刀法细腻，层次分明。历经几百年风雨，部分砖雕仍然清晰可见。",
            "村里的老人说，朱家祖上经商致富后回乡建房，重视读书，家族中出过不少读书人。如今，"
            "古建筑群经过修缮，成为南京近郊的乡村旅游和研学目的地。",
        ],
    ),
    _resource(
        "erhu",
        "二胡演奏入门：空弦与音阶",
        summary=(
            "老年大学二胡班教材，介绍二胡的构造和定弦，讲解持琴、运弓和按弦的基本方法，"
            "由空弦练习过渡到音阶和简单乐曲。"
        ),
        tags=["二胡", "民族乐器"],
        kind="textbook",
        category="文化艺术",
        audience="老年人",
        street="淳化",
        year=2022,
        views=890,
        pages=[
            "第一课 认识二胡。二胡由琴筒、琴杆、琴轴、千斤、琴码和弓子等部分组成。"
            "内弦一般定为D音，外弦定为A音，两根弦相差五度。定弦时慢慢转动琴轴，边拉边听，"
            "对照调音器校准。",
            "第二课 持琴与运弓。坐在椅子的前半部分，琴筒放在左腿上，琴杆稍向左倾斜。右手持弓，"
            "拇指和食指捏住弓杆，中指和无名指控制弓毛的松紧。拉弓时手腕放松，"
            "弓杆始终贴着琴筒平行运动。",
            "第三课 空弦练习。先练内弦长弓，每弓四拍，要求声音饱满、起止平稳，"
            "再练外弦和内外弦交替。空弦练好了，再学习按弦，从D调音阶开始，逐步练习简单的民歌小曲。",
        ],
    ),
    _resource(
        "baiju",
        "南京白局说唱入门",
        summary=(
            "南京白局是用南京方言说唱的地方曲种。课程介绍白局的历史和常用曲牌，教唱一段传统曲目。"
        ),
        tags=["南京白局", "曲艺"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="秣陵",
        year=2024,
        duration=1020,
        views=640,
    ),
    _resource(
        "ink-painting",
        "国画入门：写意花鸟",
        summary=(
            "社区书画班教材，讲解文房四宝的选用、笔墨浓淡干湿的变化，示范写意梅花、"
            "兰草和小鸟的画法。"
        ),
        tags=["国画", "写意花鸟"],
        kind="textbook",
        category="文化艺术",
        audience="老年人",
        street="东山",
        year=2025,
        views=1020,
        pages=[
            "第一课 文房四宝。初学国画，准备兼毫笔大小各一支、墨汁一瓶、"
            "生宣纸若干和一个白色瓷盘作调色用。生宣纸吸水性强，适合写意画；熟宣纸不渗墨，"
            "适合工笔画。",
            "第二课 墨分五色。墨色有焦、浓、重、淡、清之分。笔中含水多，墨色就淡；含水少，"
            "墨色就浓。先在废纸上练习一笔之中由浓到淡的变化，体会水与墨的关系。",
            "第三课 写意梅花。先用淡墨画出枝干，用笔要有顿挫，表现老枝的苍劲。再用胭脂色点出花瓣，"
            "五瓣一朵，有正有侧。最后用浓墨勾花蕊、点苔，整幅画就精神了。",
        ],
    ),
    _resource(
        "culture-heritage-book",
        "江宁非物质文化遗产概览",
        summary=(
            "区文化馆参与编写的乡土教材，分门别类介绍江宁的民间文学、传统音乐、"
            "传统技艺和民俗等非遗项目。"
        ),
        tags=["非物质文化遗产", "地方文化"],
        kind="textbook",
        category="文化艺术",
        audience="社区居民",
        street="江宁",
        year=2022,
        views=580,
        pages=[
            "第一章 民间文学。江宁民间流传着许多与地名有关的传说，比如方山的天印传说、"
            "祖堂山的高僧故事。这些口口相传的故事，记录了百姓对家乡山水的情感。",
            "第二章 传统音乐。江宁的民歌曲调婉转，多以劳动和爱情为题材。插秧时唱的秧歌节奏明快，"
            "一人领唱、众人应和，是田间劳作时提振精神的好办法。",
            "第三章 传统技艺。除了织锦、灯彩，江宁还有竹编、木雕、手工土布等传统技艺。"
            "一些村里的老艺人至今仍能用传统木织机织出格子土布，图案朴素大方。",
            "第四章 民俗。正月里的舞龙舞狮、跳马灯，端午的赛龙舟，都是江宁乡村热闹的节庆活动。"
            "近年来，不少街道把这些民俗活动与乡村旅游结合起来，吸引了许多城里游客。",
        ],
    ),
    _resource(
        "folk-dance-book",
        "民族民间舞基础教程",
        summary=(
            "老年大学舞蹈班使用的教材，介绍汉族、藏族、傣族等民族民间舞的基本体态和代表性动作。"
        ),
        tags=["民族舞", "舞蹈"],
        kind="textbook",
        category="文化艺术",
        audience="社区居民",
        street="禄口",
        year=2023,
        views=690,
        pages=[
            "第一课 汉族秧歌。秧歌的基本动作是十字步和扭步，手持扇子或手绢，上身随脚步自然扭动。"
            "跳秧歌讲究“稳中浪、浪中艮”，动作要有弹性，表情要喜庆。",
            "第二课 藏族舞。藏族舞以颤膝和甩袖为特点，膝部有节奏地屈伸，带动全身微微颤动。"
            "踢踏舞步要轻快，双手的甩袖动作要舒展大方。",
            "第三课 傣族舞。傣族舞模仿孔雀的姿态，手型以孔雀手为主，身体呈“三道弯”造型。"
            "动作柔美含蓄，练习时要注意控制好身体的重心，保持平衡。",
        ],
    ),
    _resource(
        "poetry-recital",
        "诗歌朗诵技巧与实践",
        summary=(
            "课件讲解朗诵的气息、停连、重音和语调，以《乡愁》等名篇为例，练习如何把诗读出感情。"
        ),
        tags=["朗诵", "语言艺术"],
        kind="courseware",
        category="文化艺术",
        audience="社区居民",
        street="东山",
        year=2023,
        views=560,
    ),
    _resource(
        "chinese-knot",
        "中国结编织基础技法",
        summary="学习平结、双联结、吉祥结的编法，用红绳编出一个平安结挂件，送给家人作为新年礼物。",
        tags=["中国结", "手工编织"],
        kind="video",
        category="文化艺术",
        audience="社区居民",
        street="淳化",
        year=2021,
        duration=880,
        views=910,
    ),
    _resource(
        "flower-arrangement",
        "东方插花艺术入门",
        summary=(
            "课件介绍东方插花的线条美和留白，讲解花材选择、花器搭配和剑山固定，"
            "适合社区生活美学课程。"
        ),
        tags=["插花", "生活美学"],
        kind="courseware",
        category="文化艺术",
        audience="社区居民",
        street="麒麟",
        year=2025,
        views=470,
    ),
    _resource(
        "old-streets-reader",
        "江宁古镇老街寻踪",
        summary=(
            "市民读本，带读者走访湖熟老街、淳化老街、秣陵老街，记录老字号、老手艺和街坊邻里的故事。"
        ),
        tags=["古镇老街", "乡土文化"],
        kind="reader",
        category="文化艺术",
        audience="社区居民",
        street="湖熟",
        year=2025,
        views=520,
        pages=[
            "湖熟老街沿河而建，青石板路两侧是粉墙黛瓦的老房子。清晨，早点铺的蒸笼冒着热气，"
            "老人们坐在河边的石凳上聊天，这样的画面已经延续了上百年。",
            "淳化老街上有一家开了几十年的铁匠铺，老师傅每天叮叮当当地打制锄头和镰刀。"
            "他说现在买农具的人少了，但只要还有人来，炉火就不会熄。",
            "秣陵老街曾是南京城南重要的商贸集镇。如今老街经过修缮，保留了原有的街巷格局，"
            "一些老字号重新开张，吸引了不少慕名而来的游客。",
        ],
    ),
    # 健康养生
    _resource(
        "hypertension-diet",
        "高血压患者的饮食调理",
        summary=(
            "每天吃盐不超过五克，少吃咸菜和腌腊制品，多吃新鲜蔬果和奶类。"
            "营养师教您看懂食品标签上的钠含量。"
        ),
        tags=["高血压", "合理膳食"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="东山",
        year=2023,
        duration=690,
        views=2870,
        award="二等奖",
    ),
    _resource(
        "hypertension-book",
        "高血压患者自我管理手册",
        summary=(
            "社区卫生服务中心与社区学院合编，讲解血压监测、规律服药、合理膳食和运动，"
            "帮助患者做好日常自我管理。"
        ),
        tags=["高血压", "慢病管理"],
        kind="textbook",
        category="健康养生",
        audience="老年人",
        street="东山",
        year=2024,
        views=1180,
        pages=[
            "第一章 认识高血压。在未使用降压药的情况下，非同日三次测量，"
            "收缩压大于等于一百四十毫米汞柱或舒张压大于等于九十毫米汞柱，即可诊断为高血压。"
            "多数患者没有明显症状，因此被称为“沉默的杀手”。",
            "第二章 家庭自测血压。测量前安静休息五分钟，取坐位，上臂与心脏保持同一水平。"
            "每天早晚各测一次，每次测两到三遍取平均值，并记录在血压日记上，复诊时带给医生看。",
            "第三章 饮食管理。推荐采用得舒饮食模式：多吃蔬菜、水果、全谷物和低脂奶制品，"
            "适量摄入鱼、禽肉和坚果，减少红肉、甜食和含糖饮料。同时严格限盐，"
            "每日食盐摄入不超过五克。",
            "第四章 规律服药。降压药要在医生指导下长期规律服用，不能血压一正常就自行停药。"
            "漏服后不要在下次服药时加倍剂量。出现头晕、乏力等不适，应及时到社区卫生服务中心就诊。",
        ],
    ),
    _resource(
        "hypertension-draft",
        "高血压患者自我管理手册（退回修改）",
        summary=(
            "评审意见：诊断标准一节需与最新版防治指南核对，药物名称不宜出现商品名，"
            "请修改后重新提交。"
        ),
        tags=["高血压", "慢病管理"],
        kind="textbook",
        category="健康养生",
        audience="老年人",
        street="东山",
        year=2026,
        views=0,
        status="returned",
        pages=[
            "第一章 认识高血压（修改中）。非同日三次测量血压均达到诊断标准，即可诊断为高血压。"
            "本节的数据和图表需按最新版防治指南重新核对。",
            "第三章 饮食管理（修改中）。推荐得舒饮食模式，多吃蔬菜、水果、全谷物和低脂奶制品，"
            "严格限盐。评审专家建议补充一周示范食谱和外出就餐的注意事项。",
            "第四章 规律服药（修改中）。降压药须遵医嘱长期服用。"
            "原稿中出现的药品商品名已按评审意见删除，改为通用名，相关表格正在重新排版。",
        ],
    ),
    _resource(
        "bp-measure",
        "家庭自测血压的正确方法",
        summary=(
            "选择经过认证的上臂式电子血压计，测量前静坐五分钟，袖带松紧以能插入一指为宜，"
            "测量时不说话、不活动。"
        ),
        tags=["血压测量", "慢病管理"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="东山",
        year=2022,
        duration=250,
        views=1390,
    ),
    _resource(
        "tcm-seasons",
        "中医养生：四季起居有常",
        summary="春养肝、夏养心、秋养肺、冬养肾。中医师讲解顺应四时的起居、饮食和情志调养方法。",
        tags=["中医养生", "四季养生"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="汤山",
        year=2022,
        duration=1220,
        views=2340,
    ),
    _resource(
        "tcm-acupoint",
        "中医养生：常用穴位按摩",
        summary="找准足三里、合谷、内关等常用穴位，学习按、揉、点的手法，缓解疲劳、改善睡眠。",
        tags=["中医养生", "穴位按摩"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="汤山",
        year=2023,
        duration=830,
        views=1980,
    ),
    _resource(
        "tcm-book",
        "中医养生基础读本",
        summary=(
            "介绍中医养生的基本理念、体质辨识、药食同源和养生误区，帮助居民树立科学的养生观，"
            "远离养生谣言。"
        ),
        tags=["中医养生", "健康素养"],
        kind="textbook",
        category="健康养生",
        audience="社区居民",
        street="汤山",
        year=2024,
        views=920,
        pages=[
            "第一章 养生的基本理念。中医养生强调“治未病”，即未病先防、既病防变。养生不是吃补品，"
            "而是从起居、饮食、运动和情志等方面调整生活方式，贵在坚持。",
            "第二章 体质辨识。中医把人的体质分为平和质、气虚质、阳虚质、阴虚质、痰湿质等九种。"
            "不同体质的人养生侧重不同，比如阳虚质的人怕冷，饮食上宜温补，少吃生冷。",
            "第三章 药食同源。山药、红枣、枸杞、薏米等既是食物也是中药材，可以用来煲汤煮粥。"
            "但药食同源的食材也不宜长期大量食用，体质不合适的人要咨询医生。",
            "第四章 警惕养生谣言。宣称“包治百病”“无任何副作用”的产品都不可信。"
            "中医养生讲究因人而异，网上流传的偏方不要轻易尝试，有病一定要到正规医院就诊。",
        ],
    ),
    _resource(
        "first-aid-book",
        "社区急救知识手册",
        summary=(
            "红十字会培训师参与编写，讲解现场评估、呼救、止血包扎、骨折固定、"
            "气道异物梗阻和心搏骤停的现场处置。"
        ),
        tags=["急救知识", "应急救护"],
        kind="textbook",
        category="健康养生",
        audience="社区居民",
        street="禄口",
        year=2022,
        views=1560,
        pages=[
            "第一章 现场评估。发现有人倒地，先观察周围环境是否安全，再靠近伤病员。轻拍双肩、"
            "大声呼唤，判断其有无意识。如无反应，立即呼救并拨打120，说清地点和伤情。",
            "第二章 止血包扎。少量出血可用干净纱布直接按压伤口止血。出血较多时，用绷带加压包扎，"
            "松紧要适度，以能摸到远端动脉搏动为宜。不要在伤口上涂抹牙膏、香灰等物品。",
            "第三章 骨折固定。怀疑骨折时不要随意搬动伤员，更不要试图把骨头复位。可用木板、"
            "硬纸板等作为夹板固定，固定范围要超过骨折部位上下两个关节。",
            "第四章 气道异物梗阻。吃东西时突然不能说话、双手掐住喉咙，可能是气道被异物堵住了。"
            "施救者站在患者身后，采用海姆立克急救法：一手握拳放在肚脐上方两横指处，"
            "另一手包住拳头，快速向内向上冲击，直到异物排出。",
            "第五章 心搏骤停。对无意识、无正常呼吸的患者，立即进行胸外按压，"
            "按压部位在两乳头连线中点，深度五到六厘米，频率每分钟一百到一百二十次。"
            "有条件时尽快使用自动体外除颤器。",
        ],
    ),
    _resource(
        "cpr",
        "心肺复苏操作要领",
        summary=(
            "判断意识和呼吸、呼救、胸外按压、开放气道、人工呼吸，跟着急救培训师一步步练，"
            "关键时刻能救命。"
        ),
        tags=["心肺复苏", "急救"],
        kind="video",
        category="健康养生",
        audience="社区居民",
        street="禄口",
        year=2023,
        duration=560,
        views=3150,
        award="一等奖",
    ),
    _resource(
        "cpr-draft",
        "心肺复苏操作要领（送审）",
        summary="送审版本更新了按压深度和频率的字幕说明，等待区红十字会专家审核。",
        tags=["心肺复苏"],
        kind="video",
        category="健康养生",
        audience="社区居民",
        street="禄口",
        year=2025,
        duration=570,
        views=6,
        status="submitted",
    ),
    _resource(
        "cpr-aed",
        "心肺复苏与AED使用",
        summary=(
            "公共场所的自动体外除颤器怎么找、怎么用？课程演示打开电源、贴电极片、"
            "分析心律和除颤的全过程。"
        ),
        tags=["心肺复苏", "AED"],
        kind="video",
        category="健康养生",
        audience="社区居民",
        street="禄口",
        year=2024,
        duration=890,
        views=2060,
    ),
    _resource(
        "fall-home",
        "老年人防跌倒居家改造",
        summary=(
            "卫生间装扶手、铺防滑垫，夜间开小夜灯，去掉门槛和地面杂物。课程走进适老化改造家庭，"
            "看看哪些细节能防跌倒。"
        ),
        tags=["防跌倒", "适老化改造"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="江宁",
        year=2023,
        duration=740,
        views=1740,
    ),
    _resource(
        "fall-exercise",
        "防跌倒平衡训练操",
        summary=(
            "扶椅单腿站、脚跟脚尖走、坐立练习，每天十五分钟，增强下肢力量和平衡能力，减少跌倒风险。"
        ),
        tags=["防跌倒", "平衡训练"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="江宁",
        year=2024,
        duration=940,
        views=1330,
    ),
    _resource(
        "diabetes",
        "糖尿病饮食与运动指导",
        summary=(
            "社区慢病管理教材，讲解血糖监测、饮食控制和运动处方，用“手掌法则”"
            "帮助患者估算每餐的主食和蛋白质。"
        ),
        tags=["糖尿病", "慢病管理"],
        kind="textbook",
        category="健康养生",
        audience="老年人",
        street="秣陵",
        year=2022,
        views=1610,
        pages=[
            "第一章 血糖监测。空腹血糖一般应控制在四点四到七毫摩尔每升，"
            "餐后两小时血糖一般不超过十毫摩尔每升。家中自测血糖时，先洗手擦干，"
            "用采血针在指尖侧面采血，第一滴血擦去，用第二滴。",
            "第二章 手掌法则。每餐主食约一个拳头大小，蛋白质类食物约一个掌心大小、小指厚度，"
            "蔬菜为两手能捧住的量。水果放在两餐之间吃，选择苹果、柚子等升糖较慢的品种。",
            "第三章 运动处方。餐后半小时到一小时开始运动，以快走、骑自行车等中等强度有氧运动为主，"
            "每次三十分钟左右。运动时随身携带糖果，出现心慌、出冷汗等低血糖症状时立即食用。",
        ],
    ),
    _resource(
        "sleep",
        "改善老年人睡眠质量",
        summary=(
            "老年人睡得浅、醒得早是常见现象。课程讲解规律作息、午睡不宜过长、"
            "睡前避免浓茶等改善睡眠的方法。"
        ),
        tags=["睡眠健康", "老年保健"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="湖熟",
        year=2023,
        duration=660,
        views=1270,
    ),
    _resource(
        "eye-health",
        "老花眼与白内障常识",
        summary=(
            "老花眼不是病，白内障却需要及时治疗。眼科医生讲解两者的区别、早期信号，"
            "以及配镜和手术的注意事项。"
        ),
        tags=["眼健康", "白内障"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="淳化",
        year=2024,
        duration=470,
        views=980,
    ),
    _resource(
        "mental-elderly",
        "老年心理健康与情绪调适",
        summary=(
            "课件帮助老年人认识退休后的心理变化，学会应对孤独和焦虑，鼓励多参加社区活动、"
            "多与人交往。"
        ),
        tags=["心理健康", "情绪调适"],
        kind="courseware",
        category="健康养生",
        audience="老年人",
        street="淳化",
        year=2023,
        views=670,
    ),
    _resource(
        "heatstroke",
        "夏季防中暑小常识",
        summary=(
            "高温天气避免正午外出，及时补充水分和盐分。识别中暑的早期症状，掌握转移阴凉处、降温、"
            "补液的处置方法。"
        ),
        tags=["防中暑", "夏季保健"],
        kind="video",
        category="健康养生",
        audience="社区居民",
        street="谷里",
        year=2022,
        duration=220,
        views=1150,
    ),
    _resource(
        "flu-vaccine",
        "流感疫苗接种答疑",
        summary=(
            "哪些人应优先接种流感疫苗？什么时候接种最合适？课件整理社区医生对接种流程、"
            "禁忌和接种后注意事项的解答。"
        ),
        tags=["疫苗接种", "传染病预防"],
        kind="courseware",
        category="健康养生",
        audience="社区居民",
        street="麒麟",
        year=2024,
        views=890,
    ),
    _resource(
        "medication",
        "老年人合理用药指导",
        summary=(
            "课件讲解多病共存老人的用药风险、药品说明书的阅读方法和分药盒的使用，"
            "提醒不要用保健品替代药物。"
        ),
        tags=["合理用药", "老年保健"],
        kind="courseware",
        category="健康养生",
        audience="老年人",
        street="东山",
        year=2022,
        views=760,
    ),
    _resource(
        "dementia",
        "认知症早期识别与照护",
        summary=(
            "面向家庭照护者的教材，讲解认知症的早期信号、沟通技巧和防走失措施，"
            "帮助家属减轻照护压力。"
        ),
        tags=["认知症", "家庭照护"],
        kind="textbook",
        category="健康养生",
        audience="家长",
        street="湖熟",
        year=2025,
        views=940,
        pages=[
            "第一章 早期信号。刚说过的话转眼就忘、反复问同一个问题、在熟悉的地方迷路、"
            "做饭忘记关火，这些都可能是认知症的早期表现。出现这些情况，"
            "应及时到医院的记忆门诊进行评估。",
            "第二章 沟通技巧。与患者交流时要放慢语速，一次只说一件事。"
            "患者说错了不要急于纠正和争辩，顺着他的话题转移注意力。"
            "多用微笑和轻拍肩膀等肢体语言传递安全感。",
            "第三章 防走失。给老人佩戴写有家属电话的手环或防走失定位器，衣服上缝上联系卡。"
            "在家门口贴上醒目的标识，外出时尽量有人陪同。一旦走失，"
            "立即报警并联系社区网格员协助寻找。",
        ],
    ),
    _resource(
        "oral-health",
        "口腔健康与假牙护理",
        summary=(
            "掌握巴氏刷牙法，每天使用牙线，活动假牙每晚摘下清洗浸泡。牙医提醒：牙齿松动、"
            "牙龈出血要及早就诊。"
        ),
        tags=["口腔健康", "老年保健"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="横溪",
        year=2023,
        duration=530,
        views=720,
    ),
    _resource(
        "hot-spring-health",
        "温泉养生的注意事项",
        summary=(
            "泡汤山温泉虽好，也要讲方法：饭后一小时内不宜入浴，每次不超过二十分钟，"
            "心脑血管疾病患者要格外注意。"
        ),
        tags=["温泉养生", "保健常识"],
        kind="video",
        category="健康养生",
        audience="社区居民",
        street="汤山",
        year=2024,
        duration=350,
        views=1020,
    ),
    _resource(
        "health-lifestyle-reader",
        "全民健康生活方式读本",
        summary=(
            "围绕减盐、减油、减糖和健康口腔、健康体重、健康骨骼，"
            "用通俗的语言和图表讲解健康生活方式。"
        ),
        tags=["健康生活方式", "健康素养"],
        kind="reader",
        category="健康养生",
        audience="社区居民",
        street="江宁",
        year=2021,
        views=880,
        pages=[
            "减盐。中国居民的盐摄入量普遍偏高。做菜时使用限盐勺，出锅前再放盐，少用酱油、"
            "蚝油等含盐调料。一包方便面的调料包就含有三克左右的盐，平时要少吃加工食品。",
            "减油。烹调多用蒸、煮、炖、凉拌的方法，少用油炸。每人每天烹调用油二十五到三十克，"
            "一家三口一个月用油不宜超过两升半，可以用带刻度的油壶控制用量。",
            "健康体重。体重指数在十八点五到二十四之间为正常。减重不要靠节食，而要控制总能量，"
            "增加身体活动，每周至少进行一百五十分钟中等强度的运动。",
            "健康骨骼。多晒太阳、多喝奶，补充钙和维生素D。中老年人可以进行快走、慢跑等运动，"
            "强健骨骼，预防骨质疏松和跌倒骨折。运动要量力而行，循序渐进。",
        ],
    ),
    _resource(
        "baduanjin",
        "八段锦跟练：十二分钟版",
        summary=(
            "两手托天理三焦、左右开弓似射雕……跟着老师一招一式完整练习八段锦，动作舒缓，"
            "适合居家锻炼。"
        ),
        tags=["八段锦", "传统养生功"],
        kind="video",
        category="健康养生",
        audience="老年人",
        street="湖熟",
        year=2025,
        duration=720,
        views=1490,
    ),
    _resource(
        "stroke",
        "中风早期识别口诀",
        summary=(
            "一看脸不对称，二查手臂无力，三听说话不清，有上述症状立刻拨打120。救治越早，"
            "恢复的希望越大。"
        ),
        tags=["脑卒中", "急救"],
        kind="video",
        category="健康养生",
        audience="社区居民",
        street="秣陵",
        year=2025,
        duration=190,
        views=1100,
    ),
    _resource(
        "osteoporosis",
        "骨质疏松的预防与治疗",
        summary=(
            "健康科普读本，讲解骨质疏松的成因和危害、骨密度检查、补钙和维生素D的方法，"
            "以及日常防止骨折的细节。"
        ),
        tags=["骨质疏松", "老年保健"],
        kind="reader",
        category="健康养生",
        audience="老年人",
        street="横溪",
        year=2022,
        views=830,
        pages=[
            "骨质疏松是一种骨量减少、骨骼变脆的全身性疾病，常被称为“静悄悄的流行病”。"
            "很多人直到轻轻一摔就骨折了，才知道自己患有骨质疏松。"
            "绝经后的女性和七十岁以上的老人尤其要注意。",
            "预防骨质疏松，要从年轻时开始储存骨量。每天喝三百毫升左右的牛奶，"
            "多吃豆制品和深绿色蔬菜。每天晒太阳二十分钟左右，有助于体内合成维生素D，促进钙的吸收。",
            "已经确诊骨质疏松的老人，要在医生指导下规范用药，定期复查骨密度。"
            "日常生活中避免搬重物、弯腰提物，起床时动作放慢，防止因跌倒导致髋部骨折。",
        ],
    ),
    _resource(
        "nutrition-book",
        "老年人膳食营养指南",
        summary=(
            "依据膳食指南编写，针对老年人咀嚼能力下降、食欲减退等特点，给出食物选择、"
            "烹调方法和一周食谱示例。"
        ),
        tags=["膳食营养", "老年保健"],
        kind="textbook",
        category="健康养生",
        audience="老年人",
        street="横溪",
        year=2025,
        views=640,
        pages=[
            "第一章 食物多样。老年人每天应摄入十二种以上的食物，每周二十五种以上。主食粗细搭配，"
            "适当吃些燕麦、小米和杂豆。每天一个鸡蛋、一杯奶，保证优质蛋白质的摄入。",
            "第二章 烹调方法。牙口不好的老人，可以把食物切小切碎、煮软烧烂，多用蒸、炖、煮的方法。"
            "肉类做成肉丸、肉末，蔬菜选嫩叶部分，既方便咀嚼又不损失营养。",
            "第三章 一周食谱示例。周一早餐：小米粥、蒸鸡蛋、拌菠菜；午餐：软米饭、清蒸鲈鱼、"
            "炒冬瓜；晚餐：青菜肉丝面、凉拌豆腐。每餐吃到七八分饱，少量多餐更适合老年人。",
        ],
    ),
    _resource(
        "family-doctor",
        "家庭医生签约服务指南",
        summary=(
            "课件介绍家庭医生签约的对象、服务内容和签约方式，说明签约后在慢病随访、"
            "预约转诊和长处方等方面的便利。"
        ),
        tags=["家庭医生", "基层医疗"],
        kind="courseware",
        category="健康养生",
        audience="社区居民",
        street="秣陵",
        year=2023,
        views=580,
    ),
    # Everyday errands, written the way the bureau writes them (乘坐, 缴纳); residents type 坐, 交.
    _resource(
        "garbage-sorting",
        "生活垃圾分类投放指南",
        summary=(
            "厨余垃圾、可回收物、有害垃圾和其他垃圾怎样分，小区投放点几点开放，"
            "社区志愿者现场示范讲解。"
        ),
        tags=["垃圾分类", "环境保护"],
        kind="video",
        category="老年教育/智能技术",
        audience="社区居民",
        street="秣陵",
        year=2025,
        duration=420,
        views=2210,
    ),
    _resource(
        "garbage-sorting-draft",
        "生活垃圾分类投放指南（旧版）",
        summary="旧版课件，投放时间已调整，停止使用。",
        tags=["垃圾分类"],
        kind="courseware",
        category="老年教育/智能技术",
        audience="社区居民",
        street="秣陵",
        year=2023,
        views=0,
        status="returned",
    ),
    _resource(
        "metro-ride",
        "老年人乘坐南京地铁指南",
        summary=(
            "在闸机前出示乘车码或刷老年卡进站，看懂线路图和换乘标识，"
            "在站内找到无障碍电梯和爱心座位。"
        ),
        tags=["出行", "轨道交通"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="东山",
        year=2025,
        duration=380,
        views=1640,
    ),
    _resource(
        "utility-bills",
        "在手机上缴纳电费和水费",
        summary=(
            "用支付宝和网上国网App查询电费账单、缴纳电费，绑定水费户号自动扣款，"
            "保存缴费凭证，不再跑营业厅排队。"
        ),
        tags=["生活缴费", "智能手机"],
        kind="video",
        category="老年教育/智能技术",
        audience="老年人",
        street="淳化",
        year=2025,
        duration=460,
        views=1980,
    ),
    _resource(
        "resident-medical-insurance",
        "城乡居民医保缴费操作指南",
        summary=(
            "每年秋季缴纳下一年度的城乡居民基本医疗保险费：在手机上选择参保地、"
            "核对身份信息、完成缴费并查看参保状态。"
        ),
        tags=["医疗保险", "生活缴费"],
        kind="courseware",
        category="老年教育/智能技术",
        audience="社区居民",
        street="谷里",
        year=2024,
        views=870,
    ),
    _resource(
        "paddy-integrated-farming",
        "稻田综合种养效益分析",
        summary=(
            "以谷里和横溪的示范基地为例，比较稻田养殖小龙虾、河蟹和鱼的投入与产出，"
            "算清一亩田一年的账。"
        ),
        tags=["综合种养", "效益分析"],
        kind="courseware",
        category="三农培训",
        audience="农民",
        street="谷里",
        year=2024,
        views=640,
    ),
    _resource(
        "skill-certificate",
        "技能等级认定报名指南",
        summary="职业技能等级认定的报名条件、考核方式和证书查询，适合家政、养老护理和电工学员。",
        tags=["技能等级认定", "职业培训"],
        kind="courseware",
        category="职业技能",
        audience="社区居民",
        street="江宁",
        year=2025,
        views=910,
    ),
    _resource(
        "skill-subsidy",
        "技能提升补贴申领流程",
        summary="取得职业资格证书或技能等级证书后，在线申领技能提升补贴的条件、材料和到账时间。",
        tags=["技能补贴", "就业指导"],
        kind="video",
        category="职业技能",
        audience="社区居民",
        street="禄口",
        year=2025,
        duration=300,
        views=720,
    ),
]


QUERIES: list[tuple[str, list[str], list[str]]] = [
    # Plain Chinese words, one or more separated by spaces.
    ("智能手机 挂号", ["phone-register"], ["phone-register-draft"]),
    ("老年人 防诈骗", ["fraud-phone-call"], ["fraud-draft"]),
    ("茶叶 种植 技术", ["tea-planting"], ["tea-draft"]),
    ("微信 视频通话", ["wechat-video-call"], ["wechat-video-call-draft"]),
    ("移动支付", ["mobile-payment", "mobile-payment-safety"], ["mobile-payment-draft"]),
    ("稻虾共养", ["rice-shrimp", "rice-shrimp-book"], []),
    ("电商 直播", ["ecommerce-live", "ecommerce-live-script"], ["ecommerce-live-draft"]),
    ("育婴师", ["nanny-bath", "nanny-feeding", "nanny-book"], ["nanny-draft"]),
    ("面点 制作", ["pastry-steamed-bun", "pastry-dumpling"], []),
    ("亲子沟通", ["parent-child-listening", "parent-child-language"], []),
    ("高血压 饮食", ["hypertension-diet"], ["hypertension-draft"]),
    ("防溺水 安全", ["drowning-safety"], ["drowning-safety-draft"]),
    ("编程 启蒙", ["coding-scratch", "coding-robot"], ["coding-draft"]),
    ("红色江宁", ["red-jiangning", "red-jiangning-book"], []),
    ("党史 故事", ["party-story-nanhu", "party-story-zunyi"], ["party-story-draft"]),
    ("中医养生", ["tcm-seasons", "tcm-acupoint"], []),
    ("医保电子凭证", ["medical-insurance-code"], []),
    ("家政服务", ["housekeeping-etiquette", "housekeeping-book"], []),
    ("农机 安全", ["farm-machine-safety"], []),
    # A phrase in double quotes.
    ('"心肺复苏"', ["cpr", "cpr-aed"], ["cpr-draft"]),
    ('"江宁织锦"', ["brocade-video", "brocade-book"], ["brocade-draft"]),
    ('"家庭教育促进法"', ["family-law-video", "family-law-reader"], ["family-law-draft"]),
    ('"阳山碑材"', ["yangshan-stele"], []),
    ('"打车软件"', ["taxi-app"], ["taxi-app-draft"]),
    # Full pinyin, typed word by word with spaces between.
    ("xinfei fusu", ["cpr", "cpr-aed"], ["cpr-draft"]),
    ("caomei dapeng", ["strawberry-greenhouse", "strawberry-pests"], ["strawberry-draft"]),
    ("taiji quan", ["taiji-24", "taiji-baduanjin"], ["taiji-draft"]),
    ("qinhuai dengcai", ["lantern-lotus", "lantern-rabbit"], []),
    ("guangchang wu", ["square-dance-steps", "square-dance-jasmine"], ["square-dance-draft"]),
    ("yidong zhifu", ["mobile-payment", "mobile-payment-safety"], ["mobile-payment-draft"]),
    # Full pinyin, syllables joined.
    ("fangzhapian", ["fraud-phone-call", "fraud-health-products"], ["fraud-draft"]),
    ("gaoxueya", ["hypertension-diet", "hypertension-book"], ["hypertension-draft"]),
    ("shufa", ["calligraphy-brush", "calligraphy-book"], []),
    # Pinyin initials of a title word of three or more characters.
    ("fzp", ["fraud-phone-call", "fraud-health-products"], ["fraud-draft"]),
    ("tjq", ["taiji-24", "taiji-baduanjin"], ["taiji-draft"]),
    ("gxy", ["hypertension-diet", "hypertension-book"], ["hypertension-draft"]),
    ("cyzz", ["tea-planting"], ["tea-draft"]),
    ("spth", ["wechat-video-call"], ["wechat-video-call-draft"]),
    # Chinese and pinyin mixed.
    ("智能手机 yuyue guahao", ["phone-register"], ["phone-register-draft"]),
    ("湖熟 juhua", ["hushu-chrysanthemum", "hushu-chrysanthemum-book"], ["hushu-draft"]),
    ("电商 zhibo", ["ecommerce-live", "ecommerce-live-script"], ["ecommerce-live-draft"]),
    # One wrong character: homophones (莓→梅, 彩→采), then look-alikes in a four-character
    # word with three characters right (理→埋, 全→金).
    ("草梅大棚", ["strawberry-greenhouse", "strawberry-pests"], ["strawberry-draft"]),
    ("秦淮灯采", ["lantern-lotus", "lantern-rabbit"], []),
    ("养老护埋", ["eldercare-turning", "eldercare-feeding"], []),
    ("电工安金", ["electrician-safety"], ["electrician-draft"]),
    # Terms found only in the pages of a textbook or reader (the draft copy is hidden).
    ("明前茶", ["tea-planting"], ["tea-draft"]),
    ("伊乐藻", ["crab-farming"], []),
    ("海姆立克", ["first-aid-book"], []),
    ("得舒饮食", ["hypertension-book"], ["hypertension-draft"]),
    ("通经断纬", ["brocade-book"], ["brocade-draft"]),
    # Exclusions with -word.
    ("防诈骗 -保健品", ["fraud-phone-call"], ["fraud-health-products", "fraud-draft"]),
    ("草莓 -病虫害", ["strawberry-greenhouse"], ["strawberry-pests", "strawberry-draft"]),
    ("太极拳 -八段锦", ["taiji-24"], ["taiji-baduanjin", "taiji-draft"]),
    # Streets and places of Jiangning.
    ("湖熟 菊花", ["hushu-chrysanthemum", "hushu-chrysanthemum-book"], ["hushu-draft"]),
    ("汤山 温泉", ["tangshan-hot-spring", "tangshan-reader"], []),
    ("横溪 西瓜", ["hengxi-watermelon"], []),
    ("牛首山", ["photo-niushou", "niushou-culture", "niushou-nature"], []),
    ("杨柳村", ["yangliu-village", "yangliu-homestay"], []),
    ("黄龙岘", ["huanglongxian-tea"], []),
]


def published(resources: list[dict[str, Any]] = RESOURCES) -> list[dict[str, Any]]:
    """The resources anyone may find: those whose status is "published"."""
    return [r for r in resources if r["status"] == "published"]


# What residents type on a phone without a Chinese keyboard, or in everyday words, each with the
# kind it tries: (kind, query, must rank in the first five, must never appear). The resources are
# not named after the query: the pinyin runs across word boundaries, the words sit only in a
# summary, or the resource is written in the bureau's words.
TYPED: list[tuple[str, str, list[str], list[str]]] = [
    ("joined pinyin", "lajifenlei", ["garbage-sorting"], ["garbage-sorting-draft"]),
    ("joined pinyin", "jiatingjiaoyucujinfa", ["family-law-video", "family-law-reader"], []),
    ("joined pinyin", "xinfeifusu", ["cpr", "cpr-aed"], ["cpr-draft"]),
    ("joined pinyin", "caomeidapeng", ["strawberry-greenhouse", "strawberry-pests"], []),
    ("joined pinyin", "qinhuaidengcai", ["lantern-lotus", "lantern-rabbit"], []),
    ("joined pinyin", "yangshanbeicai", ["yangshan-stele"], []),
    ("joined pinyin", "dangshigushi", ["party-story-nanhu", "party-story-zunyi"], []),
    ("joined pinyin", "hushujuhua", ["hushu-chrysanthemum"], ["hushu-draft"]),
    ("joined pinyin", "fangdiedao", ["fall-home", "fall-exercise"], []),
    ("joined pinyin", "gedaijiaoyang", ["grandparenting"], []),
    ("joined pinyin", "yufangxiaoyuanqiling", ["anti-bullying"], []),
    ("joined pinyin", "zhibaowurenji", ["drone-spraying"], []),
    ("joined pinyin", "guzhishusong", ["osteoporosis"], []),
    ("joined pinyin", "cetupeifang", ["soil-fertilizer"], []),
    ("joined initials", "ljfl", ["garbage-sorting"], ["garbage-sorting-draft"]),
    ("joined initials", "jtjycjf", ["family-law-video", "family-law-reader"], []),
    ("joined initials", "xffs", ["cpr", "cpr-aed"], ["cpr-draft"]),
    ("joined initials", "qhdc", ["lantern-lotus", "lantern-rabbit"], []),
    ("joined initials", "dsgs", ["party-story-nanhu", "party-story-zunyi"], []),
    ("joined initials", "hsjh", ["hushu-chrysanthemum"], ["hushu-draft"]),
    ("joined initials", "ysbc", ["yangshan-stele"], []),
    ("joined initials", "cmdp", ["strawberry-greenhouse", "strawberry-pests"], []),
    ("joined initials", "zbwrj", ["drone-spraying"], []),
    ("joined initials", "gzss", ["osteoporosis"], []),
    ("joined initials", "dszb", ["ecommerce-live", "ecommerce-live-script"], []),
    ("joined initials", "fdd", ["fall-home", "fall-exercise"], []),
    ("tone marks", "tàijíquán", ["taiji-24", "taiji-baduanjin"], ["taiji-draft"]),
    ("tone marks", "xīnfèi fùsū", ["cpr", "cpr-aed"], ["cpr-draft"]),
    ("tone marks", "lǜchá", ["tea-art"], []),
    ("tone marks", "cǎoméi dàpéng", ["strawberry-greenhouse", "strawberry-pests"], []),
    ("tone marks", "tai4ji2quan2", ["taiji-24", "taiji-baduanjin"], ["taiji-draft"]),
    ("tone marks", "guǎngchǎngwǔ", ["square-dance-steps", "square-dance-jasmine"], []),
    ("tone marks", "shūfǎ", ["calligraphy-brush", "calligraphy-book"], []),
    ("summary pinyin", "xiaolongxia", ["paddy-integrated-farming"], []),
    ("summary pinyin", "xunyicao", ["datangjin-lavender"], []),
    ("summary pinyin", "huimeibing", ["strawberry-pests"], []),
    ("summary pinyin", "shougeji", ["farm-machine-safety"], []),
    ("summary pinyin", "yanshuiya", ["chef-book"], []),
    ("summary pinyin", "miehuoqi", ["fire-escape"], []),
    ("summary pinyin", "banmaxian", ["traffic-safety"], []),
    ("summary pinyin", "niulangxing", ["stargazing"], []),
    ("summary pinyin", "youyanji", ["housekeeping-kitchen"], []),
    ("summary pinyin", "gongjijin", ["gov-service-app"], []),
    ("synonyms", "反诈", ["fraud-phone-call", "fraud-health-products"], ["fraud-draft"]),
    ("synonyms", "老年痴呆", ["dementia"], []),
    ("synonyms", "血压高", ["hypertension-diet", "hypertension-book"], ["hypertension-draft"]),
    ("synonyms", "网购", ["online-shopping"], []),
    ("synonyms", "抖音", ["short-video-editing", "short-video-rumor"], []),
    ("synonyms", "打的", ["taxi-app"], ["taxi-app-draft"]),
    ("synonyms", "看病", ["hospital-report"], []),
    ("everyday words", "坐地铁", ["metro-ride"], []),
    ("everyday words", "交电费", ["utility-bills"], []),
    ("everyday words", "交医保", ["resident-medical-insurance"], []),
    ("everyday words", "手机付钱", ["mobile-payment"], ["mobile-payment-draft"]),
    ("everyday words", "老人摔跤", ["fall-home"], []),
    ("everyday words", "娃发脾气", ["tantrum"], []),
    ("everyday words", "带孙子", ["grandparenting"], []),
]

# Prefixes that many visible titles share: suggestions offer several resources for each.
SHARED_PREFIXES = ["老年", "手机", "江宁", "安全", "技能", "党史", "laonian", "shouji"]


# Queries of the same kinds, written against resources that no tuning of the search looked at;
# ``bench/search_quality.py`` reports how many find their resource in the first five (no test
# asserts them: they measure how the search does on queries it was not fitted to).
HELD_OUT: list[tuple[str, str, list[str]]] = [
    ("joined pinyin", "shoujipaizhao", ["phone-photo"]),
    ("joined pinyin", "weixinshipin", ["wechat-video-call"]),
    ("joined pinyin", "yanglaohuli", ["eldercare-turning"]),
    ("joined pinyin", "tangshanwenquan", ["tangshan-hot-spring"]),
    ("joined pinyin", "jiatingyisheng", ["family-doctor"]),
    ("joined pinyin", "qingchunqi", ["adolescent-emotions"]),
    ("joined pinyin", "feiyijianzhi", ["papercut-flower"]),
    ("joined pinyin", "zhongshimiandian", ["pastry-book"]),
    ("joined initials", "sjpz", ["phone-photo"]),
    ("joined initials", "wxsp", ["wechat-video-call"]),
    ("joined initials", "ylhl", ["eldercare-turning"]),
    ("joined initials", "tswq", ["tangshan-hot-spring"]),
    ("joined initials", "jtys", ["family-doctor"]),
    ("joined initials", "fyjz", ["papercut-flower"]),
    ("joined initials", "dszs", ["party-quiz"]),
    ("joined initials", "xfaq", ["fire-escape"]),
    ("tone marks", "yǎnglǎo hùlǐ", ["eldercare-turning"]),
    ("tone marks", "wēixìn", ["wechat-basics"]),
    ("tone marks", "jiǎnzhǐ", ["papercut-flower"]),
    ("tone marks", "hé xiè", ["crab-molting"]),
    ("tone marks", "lǜsè fángkòng", ["pesticide-safety"]),
    ("summary pinyin", "huayandan", ["hospital-report"]),
    ("summary pinyin", "tongxunlu", ["wechat-video-call"]),
    ("summary pinyin", "yaokongqi", ["smart-tv"]),
    ("summary pinyin", "shenfenzheng", ["train-ticket"]),
    ("summary pinyin", "chayangji", ["rice-planting"]),
    ("summary pinyin", "kafeidou", ["barista"]),
    ("summary pinyin", "huoxingtan", ["science-water-filter"]),
    ("summary pinyin", "jiushengquan", ["drowning-rescue"]),
    ("synonyms", "防骗", ["fraud-phone-call"]),
    ("synonyms", "网约车", ["taxi-app"]),
    ("synonyms", "打太极", ["taiji-24"]),
    ("synonyms", "蘑菇", ["edible-fungus"]),
    ("synonyms", "养蜜蜂", ["beekeeping"]),
    ("everyday words", "老人学微信", ["wechat-basics"]),
    ("everyday words", "看病挂号", ["phone-register"]),
    ("everyday words", "手机买单", ["mobile-payment"]),
    ("everyday words", "老年痴呆怎么照顾", ["dementia"]),
    ("everyday words", "糖尿病怎么吃", ["diabetes"]),
    ("everyday words", "种蘑菇", ["edible-fungus"]),
    ("everyday words", "坐公交", ["map-navigation"]),
]
