#!/usr/bin/env python3
"""Generate a realistic bilibili danmaku XML log of a baby-food (辅食) live stream.

Deterministic: the same arguments always give the same bytes.

    python3 examples/tools/make_comments.py examples/week-2026-47/comments/live-2026-11-19.xml
    python3 examples/tools/make_comments.py examples/week-2026-48-mini/comments/live-2026-11-26.xml \
        --count 40 --duration 1200 --start 2026-11-26T20:00:00+08:00 --seed 48

Each <d p="..."> holds: offset seconds, mode, font size, colour (decimal RGB),
unix send time, pool, sender hash (8 hex), dmid (17 digits).
"""
import argparse
import datetime
import random
from xml.sax.saxutils import escape

# ~10 underlying viewer questions, each asked many ways (cluster id -> paraphrases)
QUESTIONS = {
    "start_age": ["宝宝几个月可以吃米粉？", "几个月开始加辅食呀", "5个月能加辅食吗？", "四个月可以吃米粉了吗",
                  "多大开始吃辅食合适？", "宝宝<6个月能吃米粉吗？", "主播什么时候开始加辅食啊", "几个月开始加辅食？"],
    "allergy": ["宝宝过敏怎么办？", "吃了米粉起疹子怎么回事", "过敏了要停多久啊", "对鸡蛋过敏还能吃蛋黄吗？",
                "脸上起小红点是过敏吗", "过敏体质怎么加辅食？", "宝宝过敏怎么办"],
    "mix_cereal": ["米粉怎么冲？", "米粉用多少度的水冲？", "米粉冲多稠合适啊", "米粉老是结块怎么办",
                   "一勺米粉加多少水？", "米粉能用开水冲吗", "米粉怎么冲才不结块？"],
    "egg_yolk": ["蛋黄什么时候吃？", "几个月可以吃蛋黄", "蛋黄&米粉哪个先加？", "蛋黄一次吃多少合适",
                 "蛋清什么时候能吃？", "蛋黄什么时候吃"],
    "steam_meat": ["辅食机能蒸肉吗？", "辅食机可以打肉泥吗", "辅食机能蒸鱼吗？", "肉泥用辅食机能打细吗",
                   "辅食机能蒸肉吗", "辅食机能不能做粥？"],
    "breastmilk": ["能用母乳冲米粉吗？", "可以用配方奶冲米粉吗", "米粉用母乳冲还是水冲？",
                   "母乳冲米粉会不会营养流失", "能用母乳冲米粉吗"],
    "meals_per_day": ["一天吃几顿？", "8个月一天吃几顿辅食", "辅食一天几次合适？", "辅食和奶怎么安排时间啊",
                      "一顿吃多少合适？", "一天吃几顿辅食"],
    "constipation": ["便秘吃什么？", "宝宝加辅食后便秘怎么办", "拉不出来吃什么好", "宝宝三天没拉了怎么办？",
                     "西梅泥能天天吃吗", "便秘吃什么好"],
    "trial_pack": ["有没有试用装？", "试用装怎么领？", "可以先买小包装试试吗", "抽奖送试用装吗？", "有试用装吗"],
    "shipping": ["发货到哪里？", "发什么快递？", "新疆能发吗", "几天能到啊", "偏远地区包邮吗？", "从哪里发货？"],
    "salt": ["辅食要加盐吗？", "一岁前能吃盐吗", "辅食里能放酱油吗？"],
}
ANSWERS = {
    "start_age": "主播：6个月左右可以开始，具体看宝宝有没有准备好",
    "allergy": "主播：先停掉新加的食物，记录症状，严重的马上就医",
    "mix_cereal": "主播：用70度左右的温水，先加粉再慢慢加水搅匀",
    "egg_yolk": "主播：蛋黄7到8个月开始，从四分之一个试起",
    "steam_meat": "主播：可以蒸肉，切小块蒸15分钟再打泥",
    "breastmilk": "主播：可以用母乳冲，母乳温热就行，别加热太烫",
    "meals_per_day": "主播：6到7个月一天1到2顿，奶还是主食",
    "constipation": "主播：西梅泥、火龙果泥都可以，米粉冲稀一点",
    "trial_pack": "主播：关注直播间参与福袋就能抽试用装",
    "shipping": "主播：杭州仓发货，全国包邮，新疆西藏除外",
    "salt": "主播：一岁前不用加盐和酱油",
}
PURCHASE = ["多少钱？", "辅食机多少钱", "链接在哪", "链接在哪里啊？", "怎么买？", "怎么下单", "有货吗", "还有货吗？",
            "小黄车在哪", "已拍", "拍了两盒米粉", "米粉多少钱一罐", "能便宜点吗", "现在下单送勺子吗"]
PRAISE = ["主播讲得好", "讲得好清楚", "辅食机好用！", "米粉我家宝宝爱吃", "小周老师讲得真专业", "干货满满",
          "学到了", "笔记记好了", "谢谢主播", "讲得比书上清楚", "好用好用", "主播讲得好！", "收藏了"]
CHATTER = ["晚上好", "来了来了", "晚上好呀", "刚哄睡宝宝就来了", "打卡", "第一次来直播间", "宝宝8个月了",
           "我家宝宝7个月", "从公众号过来的", "前排", "声音有点小", "画面卡了", "南瓜泥看着好香", "主播好漂亮",
           "宝宝在旁边睡觉，小声看", "大家晚上好", "来晚了", "老粉报到"]
CHATTER_END = ["晚安", "下周见", "明天接着看回放", "主播辛苦了", "下周四还来", "拜拜"]
NOISE = ["666", "6666", "1111", "哈哈哈哈哈", "？？？", "😂😂😂", "👍👍", "❤️", "2333", "。。。", "<3", "🥰🥰",
         "啊啊啊", "哈哈哈", "111"]
SPAM = ["加微信 wx123456 领辅食资料", "点击链接 http://t.cn/A6xYz9 领券", "代购进口奶粉 13800138000",
        "私聊v：baby_888 免费领取育儿资料", "http://example.com/q?a=1&b=2 点这里领红包", "兼职日结 联系QQ 12345678",
        "加wx123456进宝妈群", "低价奶粉 电话 13912345678"]
COMPLAINTS = ["上次发货太慢了", "客服一直不回消息", "上次收到的米粉罐子瘪了", "辅食机盖子有点紧",
              "怎么比上次贵了", "上次发货太慢了！等了一周"]
ECHOES = ["同问", "+1", "同问+1", "我也想知道", "蹲一个答案", "同问！！", "+1+1"]
FLOOD = "抽我抽我抽我🙏"

COLORS = [16777215] * 14 + [16707842, 16646914, 4546550, 6737151, 15138834]


def phase_weights(t, duration):
    f = t / duration
    if f < 0.08:
        return {"chat": .48, "noise": .14, "q": .22, "praise": .05, "spam": .05, "buy": .06}
    if f < 0.5:
        return {"chat": .13, "noise": .14, "q": .39, "praise": .14, "spam": .05, "buy": .12, "complain": .03}
    if f < 0.75:
        return {"chat": .08, "noise": .14, "q": .30, "praise": .12, "spam": .06, "buy": .25, "complain": .05}
    return {"chat": .20, "noise": .14, "q": .30, "praise": .20, "spam": .04, "buy": .10, "complain": .02}


def pick(rng, weights):
    r = rng.random() * sum(weights.values())
    for k, w in weights.items():
        r -= w
        if r <= 0:
            return k
    return k


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--count", type=int, default=420)
    ap.add_argument("--duration", type=float, default=3600.0)
    ap.add_argument("--start", default="2026-11-19T20:00:00+08:00")
    ap.add_argument("--seed", type=int, default=47)
    ap.add_argument("--chatid", type=int, default=1234567)
    a = ap.parse_args()

    rng = random.Random(a.seed)
    start = int(datetime.datetime.fromisoformat(a.start).timestamp())
    big = a.count >= 200
    nusers = max(20, a.count // 4)
    users = []
    while len(users) < nusers:
        h = "%08x" % rng.getrandbits(32)
        if h not in users:
            users.append(h)
    streamer = "%08x" % rng.getrandbits(32)
    # a few talkative viewers, a long tail of one-off commenters
    uweights = [1.0 / (i + 1) ** 0.6 for i in range(nusers)]

    def user():
        return rng.choices(users, uweights)[0]

    out = []  # (offset, mode, size, color, user, text)
    # fixed specials: 2 advanced (mode 7) comments, top (5) and bottom (4) comments
    out.append((4.5, 7, 25, 16777215, streamer,
                '[0,0,"1-1",4.5,"欢迎来到直播间",0,0,0,0,500,0,true,"黑体",1]'))
    out.append((a.duration * 0.55, 7, 25, 16707842, streamer,
                '[0.5,0.1,"1-1",5,"福袋开奖啦！",0,0,0.5,0.1,800,0,true,"微软雅黑",1]'))
    out.append((30.0, 5, 25, 16646914, streamer, "欢迎新朋友，点点关注不迷路"))
    out.append((a.duration * 0.35, 4, 25, 16777215, streamer, "直播间福袋进行中，关注即可参与"))
    out.append((a.duration * 0.6, 4, 25, 16777215, users[3], "今晚的月龄表在哪领"))
    out.append((a.duration * 0.8, 5, 18, 4546550, users[7], "小周老师好"))
    if big:
        t = a.duration * 0.35
        fu = users[-1]
        for _ in range(8):
            t += rng.uniform(2.0, 6.0)
            out.append((t, 1, 25, 16777215, fu, FLOOD))
    nbase = a.count - len(out)
    times = sorted(rng.uniform(0.5, a.duration - 0.5) for _ in range(nbase))
    pending = []  # queue of (kind, cluster)
    answered = {}
    for t in times:
        color = rng.choice(COLORS)
        size = 25
        if pending:
            kind, cl = pending.pop(0)
            if kind == "echo":
                out.append((t, 1, size, color, user(), rng.choice(ECHOES)))
            else:
                out.append((t, 1, size, 16707842, streamer, ANSWERS[cl]))
            continue
        cat = pick(rng, phase_weights(t, a.duration))
        if cat == "q":
            cl = rng.choice(list(QUESTIONS))
            out.append((t, 1, size, color, user(), rng.choice(QUESTIONS[cl])))
            if rng.random() < 0.15:
                pending.append(("echo", cl))
            if rng.random() < 0.10 and answered.get(cl, 0) < 2:
                answered[cl] = answered.get(cl, 0) + 1
                pending.append(("answer", cl))
        elif cat == "chat":
            pool = CHATTER_END if t > a.duration * 0.92 else CHATTER
            out.append((t, 1, size, color, user(), rng.choice(pool)))
        elif cat == "noise":
            out.append((t, 1, size, color, user(), rng.choice(NOISE)))
        elif cat == "praise":
            out.append((t, 1, size, color, user(), rng.choice(PRAISE)))
        elif cat == "buy":
            out.append((t, 1, size, color, user(), rng.choice(PURCHASE)))
        elif cat == "spam":
            # spammers use throwaway accounts
            out.append((t, 1, size, 16777215, "%08x" % rng.getrandbits(32), rng.choice(SPAM)))
        else:
            out.append((t, 1, size, color, user(), rng.choice(COMPLAINTS)))

    out.sort(key=lambda d: d[0])
    dmid = 41234567890123456
    lines = ['<?xml version="1.0" encoding="UTF-8"?><i><chatserver>chat.bilibili.com</chatserver>'
             '<chatid>%d</chatid><mission>0</mission><maxlimit>3000</maxlimit><state>0</state>'
             '<real_name>0</real_name><source>k-v</source>' % a.chatid]
    for off, mode, size, color, u, text in out:
        dmid += rng.randint(1000, 9999999)
        p = "%.5f,%d,%d,%d,%d,0,%s,%d" % (off, mode, size, color, start + int(off), u, dmid)
        lines.append('<d p="%s">%s</d>' % (p, escape(text)))
    lines.append("</i>")
    with open(a.out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
