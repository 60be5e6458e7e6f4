#!/usr/bin/env python3
"""Generates a large bilibili danmaku XML log for the prompts benchmark (deterministic).

usage: prompts_gen.py OUT.xml [COUNT] [CORPUS_DIR]

The mix follows the example week's log and real danmaku: questions built from templates and slots,
purchase questions, complaints, praise, chatter, noise (666, emoji, laughter), spam (WeChat ids, phone
numbers, links), echoes (同问, +1), streamer answers, floods, and texts taken from the real danmaku
files of ../shared/corpus when they are present. Standard library only.
"""
import glob
import html
import os
import random
import re
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
corpus = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "../../../shared/corpus")
rng = random.Random(20261119)

foods = ["米粉", "蛋黄", "南瓜泥", "西梅泥", "肉泥", "鱼泥", "胡萝卜泥", "苹果泥", "蛋清", "豆腐", "粥", "面条", "牛油果", "香蕉"]
ages = ["5个月", "6个月", "7个月", "8个月", "9个月", "10个月", "一岁", "一岁半"]
q_tpl = ["{a}宝宝能吃{f}吗？", "{f}什么时候可以吃", "{f}一次吃多少合适？", "{a}一天吃几顿辅食", "{f}怎么做才细腻？",
         "{f}要加盐吗", "{f}过敏怎么办", "吃{f}便秘怎么办？", "{f}能天天吃吗", "{a}可以吃{f}吗", "{f}和{g}哪个先加？",
         "辅食机能做{f}吗？", "{f}用什么水冲", "{f}冲多稠合适啊", "宝宝不爱吃{f}怎么办", "{f}能用母乳冲吗？"]
p_tpl = ["{f}多少钱", "链接在哪里？", "小黄车在哪", "{f}还有货吗？", "怎么买{f}", "试用装怎么领？", "包邮吗", "几天能到啊",
         "发什么快递？", "现在下单送勺子吗", "已拍", "拍了两盒{f}", "{f}有优惠吗"]
c_tpl = ["上次发货太慢了", "声音有点小", "怎么比上次贵了", "卡了卡了", "画面好卡", "客服不回消息", "{f}收到漏发了"]
r_tpl = ["下次讲讲{f}吧", "能演示一下怎么做{f}吗", "抽我抽我抽我", "希望多讲讲过敏", "求推荐{f}的做法"]
g_tpl = ["讲得好清楚", "干货满满", "学到了", "谢谢主播", "主播讲得好", "{f}我家宝宝爱吃", "收藏了", "好用好用", "太实用了"]
t_tpl = ["大家晚上好", "来了来了", "第一次来直播间", "宝宝{a}了", "刚哄睡宝宝就来了", "从公众号过来的", "晚上好呀", "下周见", "老粉报到"]
n_tpl = ["666", "6666", "1111", "哈哈哈哈哈", "😂😂😂", "❤️", "👍👍", "2333", "。。。", "？？？", "啊啊啊", "打卡", "前排"]
s_tpl = ["加wx{n}进宝妈群", "私聊v：baby_{n} 免费领取育儿资料", "代购进口奶粉 139{n}{n}", "点击链接 http://t.cn/A{n} 领券"]
e_tpl = ["同问", "+1", "同问+1", "蹲一个答案", "我也想知道"]
a_tpl = ["主播：{a}可以开始吃{f}，一次一种", "主播：一岁前不用加盐和酱油", "主播：{f}先从一两勺开始"]

real = []
for path in sorted(glob.glob(os.path.join(corpus, "danmaku-xml", "*.xml"))):
    data = open(path, encoding="utf-8", errors="replace").read()
    real += [html.unescape(t) for t in re.findall(r"<d p=\"[^\"]*\">([^<]{1,40})</d>", data) if not t.startswith("[")]

mix = [(q_tpl, 18), (p_tpl, 10), (c_tpl, 3), (r_tpl, 3), (g_tpl, 12), (t_tpl, 14), (n_tpl, 14), (s_tpl, 2),
       (e_tpl, 4), (a_tpl, 1), (None, 19)]
weights = [w for _, w in mix]
users = ["%08x" % rng.getrandbits(32) for _ in range(60000)]
host = "900f9b9e"
duration = 3 * 3600.0

def text_of(tpl):
    if tpl is None:
        return rng.choice(real) if real else rng.choice(t_tpl)
    t = rng.choice(tpl)
    return t.format(f=rng.choice(foods), g=rng.choice(foods), a=rng.choice(ages), n=rng.randint(100000, 999999))

with open(out, "w", encoding="utf-8") as w:
    w.write('<?xml version="1.0" encoding="UTF-8"?><i><chatserver>chat.bilibili.com</chatserver>'
            '<chatid>1</chatid><mission>0</mission><maxlimit>%d</maxlimit><state>0</state>'
            '<real_name>0</real_name><source>k-v</source>\n' % count)
    dmid = 41234567890000000
    t = 0.0
    flood = None
    for i in range(count):
        t += rng.expovariate(count / duration)
        if flood and flood[1] > 0:
            user, txt = flood[0], flood[2]
            flood = (flood[0], flood[1] - 1, flood[2])
        else:
            tpl = rng.choices(mix, weights)[0][0]
            txt = text_of(tpl)
            user = host if tpl is a_tpl else rng.choice(users)
            if rng.random() < 0.002:
                flood = (user, rng.randint(3, 8), txt)
        dmid += rng.randint(1, 50000)
        mode = 1 if rng.random() < 0.97 else rng.choice([4, 5])
        fields = "%.5f,%d,25,16777215,%d,0,%s,%d" % (t, mode, 1795089600 + int(t), user, dmid)
        if i % 3 == 0:
            fields += ",10"
        w.write('<d p="%s">%s</d>\n' % (fields, html.escape(txt, quote=False)))
    w.write("</i>\n")
