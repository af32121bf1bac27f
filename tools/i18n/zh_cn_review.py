#!/usr/bin/env python3
"""zh_TW -> zh_CN: OpenCC (t2s, characters only) then the reviewed mainland vocabulary.

Dev tool, not a project dependency: run it from a scratch venv with
``pip install opencc-python-reimplemented``:

    python tools/i18n/zh_cn_review.py /tmp/odoo_addon_aftersales-todo.json

fills each empty ``zh_CN`` of the table from its ``zh_TW``. Review every result: the
vocabulary below covers the terms met so far (资讯/信息, 品质/质量, 软体/软件, 栏位/字段 ...);
the seeds' form names keep their words (品质异常单).
"""
import json
import sys

from opencc import OpenCC

_cc = OpenCC('t2s')
# reviewed mainland terms (after character conversion)
VOCAB = [
    ("品质异常", "品质异常"),  # the seeds' form name stays
    ("品质管制", "质量控制"), ("产品品质", "产品质量"), ("施工（安装）品质", "施工（安装）质量"),
    ("品质问题", "质量问题"), ("异常品质信息", "异常质量信息"), ("品质信息", "质量信息"),
    ("资料库", "数据库"), ("员工资料", "员工记录"), ("资料", "数据"), ("必须是清单", "必须是列表"), ("名称的清单", "名称的列表"),
    ("字串", "字符串"), ("物件", "对象"), ("栏位", "字段"), ("到帐", "到账"), ("帐", "账"),
    ("入口网站", "门户"), ("贷项凭单", "贷项通知单"), ("远端", "远程"), ("西元", "公元"),
    ("批号/序号", "批次/序列号"), ("批号或序号", "批号或序列号"), ("提供批号或序号", "提供批号或序列号"), ("签核", "签批"), ("程式", "程序"), ("预设", "默认"), ("档案", "档案"),
    ("网路", "网络"), ("软体", "软件"), ("硬体", "硬件"), ("讯息", "消息"), ("资讯", "信息"),
    ("登入", "登录"), ("使用者", "用户"), ("列印", "打印"), ("影像", "图像"), ("范本", "模板"),
    ("伺服器", "服务器"), ("储存", "保存"), ("数位", "数字"), ("专案", "项目"), ("品项", "品项"),
    ("公司别", "公司"), ("电子邮件", "电子邮件"), ("寄送", "发送"), ("附件", "附件"),
    ("选单", "菜单"), ("下拉", "下拉"), ("搜寻", "搜索"), ("群组", "组"), ("权限", "权限"),
    ("客户入口", "客户门户"), ("品质部", "品质部"),
]
def to_cn(tw: str) -> str:
    s = _cc.convert(tw)
    # "quality" is 质量 on the mainland; the seeds' form 品质异常单 keeps its name
    s = s.replace("品质异常", "\0").replace("品质", "质量").replace("\0", "品质异常")
    for a, b in VOCAB:
        s = s.replace(a, b)
    for a, b in MORE:
        s = s.replace(a, b)
    return s

MORE = [
    ("图示", "图标"), ("精灵", "向导"), ("简讯", "短信"), ("搜寻", "搜索"), ("行事历", "日历"),
    ("币别", "币种"), ("服务水准", "服务水平"), ("联络人", "联系人"), ("设定", "设置"),
    ("过帐", "过账"), ("追踪", "跟踪"), ("范本", "模板"), ("档案", "档案"), ("启用", "启用"),
    ("制造单", "制造订单"), ("质量管制", "质量控制"), ("透过", "通过"), ("依故障模式", "按故障模式"),
    ("依活动", "基于活动"), ("「", "“"), ("」", "”"), ("交质量处理", "交质量部处理"),
    ("由质量抽取", "由质量部抽取"), ("质量检验已生产", "质量部检验已生产"), ("质量对该库存", "质量部对该库存"),
    ("质量检验，", "质量部检验，"), ("管道", "渠道"), ("建立", "创建"), ("伺服", "服务"), ("优先级", "优先级"), ("网站讯息", "网站消息"), ("预设", "默认"),
]


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        table = json.load(f)
    filled = 0
    for row in table.values():
        if row.get("zh_TW") and not row.get("zh_CN"):
            row["zh_CN"] = to_cn(row["zh_TW"])
            filled += 1
    with open(path, "w", encoding="utf-8") as f:
        json.dump(table, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")
    print(f"{filled} zh_CN entries derived in {path}: review them")


if __name__ == "__main__":
    main(sys.argv[1])
