"""Build the 决算 workbooks the importer tests read (run from the repo root).

    python tests/importers/make_fixtures.py          # the .xlsx fixtures
    python tests/importers/make_fixtures.py --xls    # also re-make the .xls copies with LibreOffice

The figures and layout are seed 002's ten 决算公开 tables (公开01–10表, 兴县乡村振兴局
2022, 金额单位：元), copied below verbatim from the seed text (tab-separated
grid lines as printed; a blank line inside a grid is a page break and stays a
blank row).  Each table gets its printed merges (收入 ‖ 支出, 本年支出 over
小计/基本/项目, 预算数 ‖ 决算数, …), its 栏次 row, its notes.

Good workbooks (each must import to resources/samples/xingxian_2022's finance):
  tables.xlsx / tables.xls     one sheet per table, sheets shuffled and named
                               Sheet1…Sheet10 (nothing relies on order or name),
                               meta lines on their own rows, wrapped labels
                               (“社会保障和⏎就业支出”), codes as text
  stacked.xlsx / stacked.xls   all ten tables on one sheet, meta on one row,
                               codes as numbers, 收入/支出决算表 amounts as text
                               with thousands separators (“27,274,348.52”)
  wan.xlsx                     tables.xlsx in 万元 (amounts /10000, 2 dp)
Malformed workbooks:
  not_a_workbook.xlsx          a text file named .xlsx
  no_tables.xlsx               a real workbook without any 决算 table
  bad_number.xlsx              tables.xlsx with “12,3x4” in 公开02表
  no_amount_column.xlsx        tables.xlsx whose 公开01表 lost its 决算数 column (C)
  broken_total.xlsx            tables.xlsx whose 公开02表 合计 本年收入合计 is mistyped
The .xls files are converted once with LibreOffice and committed, so the
tests need no LibreOffice.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

DATA = Path(__file__).resolve().parent / "data"

SEED = r'''
收入支出决算总表

公开01表

部门名称：兴县乡村振兴局

2022年度

金额单位：元

收入			支出		
项目	行次	决算数	项目	行次	决算数
栏次		1	栏次		2
一、一般公共预算财政拨款收入	1.00	27274348.52	一、一般公共服务支出	32.00	
二、政府性基金预算财政拨款收入	2.00		二、外交支出	33.00	
三、国有资本经营预算财政拨款收入	3.00		三、国防支出	34.00	
四、上级补助收入	4.00		四、公共安全支出	35.00	
五、事业收入	5.00		五、教育支出	36.00	
六、经营收入	6.00		六、科学技术支出	37.00	
七、附属单位上缴收入	7.00		七、文化旅游体育与传媒支出	38.00	
八、其他收入	8.00	3791987.29	八、社会保障和就业支出	39.00	272898.76
	9.00		九、卫生健康支出	40.00	90380.30
	10.00		十、节能环保支出	41.00	
	11.00		十一、城乡社区支出	42.00	
	12.00		十二、农林水支出	43.00	28542028.40
	13.00		十三、交通运输支出	44.00	
	14.00		十四、资源勘探工业信息等支出	45.00	
	15.00		十五、商业服务业等支出	46.00	
	16.00		十六、金融支出	47.00	
	17.00		十七、援助其他地区支出	48.00	
	18.00		十八、自然资源海洋气象等支出	49.00	
	19.00		十九、住房保障支出	50.00	180644.58
	20.00		二十、粮油物资储备支出	51.00	
	21.00		二十一、国有资本经营预算支出	52.00	
	22.00		二十二、灾害防治及应急管理支出	53.00	
	23.00		二十三、其他支出	54.00	
	24.00		二十四、债务还本支出	55.00	

	25.00		二十五、债务付息支出	56.00	
	26.00		二十六、抗疫特别国债安排的支出	57.00	
本年收入合计	27	31066335.81	本年支出合计	58.00	29085952.04
使用非财政拨款结余	28		结余分配	59.00	
年初结转和结余	29	35551892.96	年末结转和结余	60.00	37532276.73
	30			61.00	
总计	31.00	66618228.77	总计	62.00	66618228.77

注：本表反映部门本年度的总收支和年末结转结余情况。本套报表金额单位转换时可能存在尾数误差。

收入决算表

公开02表

部门名称：兴县乡村振兴局

2022年度

金额单位：元

项目		本年收入合计	财政拨款收入	上级补助收入	事业收入	经营收入	附属单位上缴收入	其他收入
功能分类科目编码	科目名称							
栏次		1	2	3	4	5	6	7
合计		31066335.81	27274348.52					3791987.29
208	社会保障和就业支出	280357.00	280357.00					
20805	行政事业单位养老支出	280357.00	280357.00					
2080505	机关事业单位基本养老保险缴费支出	177642.36	177642.36					
2080599	其他行政事业单位养老支出	102714.64	102714.64					
210	卫生健康支出	90380.30	90380.30					
21011	行政事业单位医疗	90380.30	90380.30					
2101101	行政单位医疗	46202.04	46202.04					
2101102	事业单位医疗	22638.26	22638.26					
2101103	公务员医疗补助	21324.00	21324.00					
2101199	其他行政事业单位医疗支出	216.00	216.00					
213	农林水支出	30514953.93	26722966.64					3791987.29
21301	农业农村	1525600.00	1525600.00					
2130199	其他农业农村支出	1525600.00	1525600.00					
21305	巩固脱贫攻坚衔接乡村振兴	28989353.93	25197366.64					3791987.29
2130501	行政运行	1367820.33	1367820.33					
2130502	一般行政管理事务	259825.00	259825.00					
2130503	机关服务	680924.58	680924.58					
2130504	农村基础设施建设	5000000.00	5000000.00					
2130505	生产发展	325500.00	325500.00					
2130599	其他巩固脱贫攻坚衔接乡村振兴支出	21355284.02	17563296.73					3791987.29
221	住房保障支出	180644.58	180644.58					
22102	住房改革支出	180644.58	180644.58					
2210201	住房公积金	180644.58	180644.58					

注：本表反映部门本年度取得的各项收入情况。

支出决算表

公开03表

部门名称：兴县乡村振兴局

2022年度

金额单位：元

项目		本年支出合计	基本支出	项目支出	上缴 上级 支出	经营支出	对附属单 位补助 支出
功能分类 科目编码	科目名称						
栏次		1	2	3	4	5	6
合计		29085952.04	2852493.55	26233458.49			
208	社会保障和 就业支出	272898.76	272898.76				
20805	行政事业单 位养老支出	272898.76	272898.76				
2080505	机关事业单 位基本养老 保险缴费支 出	170184.12	170184.12				
2080599	其他行政事 业单位养老 支出	102714.64	102714.64				
210	卫生健康支 出	90380.30	90380.30				
21011	行政事业单 位医疗	90380.30	90380.30				
2101101	行政单位医 疗	46202.04	46202.04				
2101102	事业单位医 疗	22638.26	22638.26				
2101103	公务员医疗 补助	21324.00	21324.00				
2101199	其他行政事 业单位医疗 支出	216.00	216.00				
213	农林水支出	28542028.40	2308569.91	26233458.49			
21301	农业农村	1525600.00		1525600.00			
2130199	其他农业农 村支出	1525600.00		1525600.00			
21305	巩固脱贫衔 接乡村振兴	27016428.40	2308569.91	24707858.49			
2130501	行政运行	1367820.33	1367820.33				
2130502	一般行政管 理事务	259825.00	259825.00				
2130503	机关服务	680924.58	680924.58				
2130504	农村基础设 施建设	5000000.00		5000000.00			
2130505	生产发展	325500.00		325500.00			
2130599	其他巩固脱 贫衔接乡村 振兴支出	19382358.49		19382358.49			
221	住房保障支 出	180644.58	180644.58				
22102	住房改革支 出	180644.58	180644.58				
2210201	住房公积金	180644.58	180644.58				

注：本表反映部门本年度各项支出情况。

财政拨款收入支出决算总表

公开04表

部门名称：兴县乡村振兴局

2022年度

金额单位：元

收入			支出					
项目	行次	金额	项目	行次	合计	一般公共预算财政拨款	政府性基金预算财政拨款	国有资本经营预算财政拨款
栏次		1	栏次		2	3	4	5
一、一般公共预算财政拨款	1	27274348.52	一、一般公共服务支出	33				
二、政府性基金预算财政拨款	2		二、外交支出	34				
三、国有资本经营预算财政拨款	3		三、国防支出	35				
	4		四、公共安全支出	36				
	5		五、教育支出	37				
	6		六、科学技术支出	38				
	7		七、文化旅游体育与传媒支出	39				
	8		八、社会保障和就业支出	40	272898.76	272898.76		
	9		九、卫生健康支出	41	90380.30	90380.30		
	10		十、节能环保支出	42				
	11		十一、城乡社区支出	43				
	12		十二、农林水支出	44	26722966.64	26722966.64		
	13		十三、交通运输支出	45				
	14		十四、资源勘探工业信息等支出	46				
	15		十五、商业服务业等支出	47				
	16		十六、金融支出	48				
	17		十七、援助其他地区支出	49				
	18		十八、自然资源海洋气象等支出	50				
	19		十九、住房保障支出	51	180644.58	180644.58		
	20		二十、粮油物资储备支出	52				
	21		二十一、国有资本经营预算支出	53				
	22		二十二、灾害防治及应急管理支出	54				
	23		二十三、其他支出	55				
	24		二十四、债务还本支出	56				
	25		二十五、债务付息支出	57				

	26		二十六、抗疫特别国债安排的支出	58				
本年收入合计	27	27274348.52	本年支出合计	59	27266890.28	27266890.28		
年初财政拨款结转和结余	28		年末财政拨款结转和结余	60	7458.24	7458.24		
一般公共预算财政拨款	29			61				
政府性基金预算财政拨款	30			62				
国有资本经营预算财政拨款	31			63				
收入总计	32	27274348.52	总计	64	27274348.52	27274348.52		

注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。

一般公共预算财政拨款支出决算表

公开05表

部门名称：兴县乡村振兴局

2022年度

金额单位：元

项目		本年支出		
功能分类科目编码	科目名称	小计	基本支出	项目支出
栏次		1.00	2.00	3.00
合计		27266890.28	2852493.55	24414396.73
208	社会保障和就业支出	272898.76	272898.76	
20805	行政事业单位养老支出	272898.76	272898.76	
2080505	机关事业单位基本养老保险缴费支出	170184.12	170184.12	
2080599	其他行政事业单位养老支出	102714.64	102714.64	
210	卫生健康支出	90380.30	90380.30	
21011	行政事业单位医疗	90380.30	90380.30	
2101101	行政单位医疗	46202.04	46202.04	
2101102	事业单位医疗	22638.26	22638.26	
2101103	公务员医疗补助	21324.00	21324.00	
2101199	其他行政事业单位医疗支出	216.00	216.00	
213	农林水支出	26722966.64	2308569.91	24414396.73
21301	农业农村	1525600.00		1525600.00
2130199	其他农业农村支出	1525600.00		1525600.00
21305	巩固脱贫衔接乡村振兴	25197366.64	2308569.91	22888796.73
2130501	行政运行	1367820.33	1367820.33	
2130502	一般行政管理事务	259825.00	259825.00	
2130503	机关服务	680924.58	680924.58	
2130504	农村基础设施建设	5000000.00		5000000.00
2130505	生产发展	325500.00		325500.00
2130599	其他巩固脱贫衔接乡村振兴支出	17563296.73		17563296.73
221	住房保障支出	180644.58	180644.58	
22102	住房改革支出	180644.58	180644.58	
2210201	住房公积金	180644.58	180644.58	

注：本表反映部门本年度一般公共预算财政拨款支出情况。

一般公共预算财政拨款支出决算明细表

公开06表

部门名称：兴县乡村振兴局

2022年度

金额单位：元

人员经费				公用经费											
科目编码	科目名称	金额	其中：基本支出	科目编码	科目名称	金额	其中：基本支出	科目编码	科目名称	金额	其中：基本支出	科目编码	科目名称	金额	其中：基本支出
301	工资福利支出	1966894.44		302	商品和服务支出	4325827.39		307	债务利息及费用支出			31011	地上附着物和青苗补偿		
30101	基本工资	757980.00		30201	办公费	145074.43		30701	国内债务付息			31012	拆迁补偿		
30102	津贴补贴	467913.00		30202	印刷费	14441.00		30702	国外债务付息			31013	公务用车购置		
30103	奖金	39241.00		30203	咨询费	1575958.92		30703	国内债务发行费用			31019	其他交通工具购置		
30106	伙食补助费			30204	手续费			30704	国外债务发行费用			31021	文物和陈列品购置		
30107	绩效工资	233089.00		30205	水费			309	资本性支出（基本建设）		——	31022	无形资产购置		
30108	机关事业单位基本养老保险缴费	193772.12		30206	电费			30901	房屋构筑物构建		——	31099	其他资本性支出		
30109	职业年金缴费			30207	邮电费	10642.00		30902	办公设备购置		——	311	对企业补助（基本建设）		——
30110	职工基本医疗保险缴费	68840.30		30208	取暖费			30903	专用设备购置		——	31101	资本金注入		——
30111	公务员医疗补助缴费	21324.00		30209	物业管理费			30905	基础设施建设		——	31199	其他对企业补助		——
30112	其他社会保障缴费	4090.44		30211	差旅费	26105.00		30906	大型修缮		——	312	对企业补助	9544357.81	
30113	住房公积金	180644.58		30212	因公出国（境）费用			30907	信息网络及软件购置更新		——	31201	资本金注入		
30114	医疗费			30213	维修（护）费			30908	物资储备		——	31203	政府投资基金股权投资		
30199	其他工资福利支出			30214	租赁费			30913	公务用车购置		——	31204	费用补贴	26200.00	
303	对个人和家庭的补助	8068830.64		30215	会议费			30919	其他交通工具购置		——	31205	利息补贴	4188157.81	
30301	离休费			30216	培训费	375500.00		30921	文物和陈列品购置		——	31299	其他对企业补助	5330000.00	

30302	退休费	102714.64		30217	公务接待费			30922	无形资产购置		———	313	对社会保障基金补助		———
30303	退职（役）费			30218	专用材料费			30999	其他资本性支出		———	31302	对社会保障基金补助		———
30304	抚恤金			30224	被装购置费			310	资本性支出	3360980.00		31303	补充全国社会保障基金		———
30305	生活补助	408516.00		30225	专用燃料费			31001	房屋构筑物构建			31304	对机关事业单位职业年金的补助		———
30306	救济费			30226	劳务费	10000.00		31002	办公设备购置	10980.00		399	其他支出		
30307	医疗费补助			30227	委托业务费	2005980.00		31003	专用设备购置			39907	国家赔偿费用支出		
30308	助学金	5992000.00		30228	工会经费	15067.86		31005	基础设施建设			39908	对民间非营利组织和群众性自治组织补贴		
30309	奖励金	40000.00		30229	福利费			31006	大型修缮			39909	经常性赠与		
30310	个人农业生产补贴	1525600.00		30231	公务用车运行维护费	20980.00		31007	信息网络及软件购置更新	3350000.00		39910	资本性赠与		
30311	代缴社会保险费			30239	其他交通费用	74280.00		31008	物资储备			39999	其他支出		
30399	其他对个人和家庭的补助			30240	税金及附加费用			31009	土地补偿						
				30299	其他商品和服务支出	51798.18		31010	安置补助						
人员经费合计		10035725.08		公用经费合计										17231165.20	

注：本表反映部门本年度一般公共预算财政拨款支出明细情况（其中包括基本支出明细情况）。

财政拨款“三公”经费支出决算表

公开07表

部门名称：兴县乡村振兴局

2022年度

金额单位：元

预算数						决算数					
合计	因公出国（境） 费	公务用车购置及运行维护费			公务接待费	合计	因公出国（境） 费	公务用车购置及运行维护费			公务接待费
		小计	公务用车购 置费	公务用车运行维 护费				小计	公务用车购 置费	公务用车运行维 护费	
1	2	3	4	5	6	7	8	9	10	11	12
		20980.00		20980.00				20980.00		20980.00	

注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；决算数是包括当年财政拨款和以前年度结转资金安排的实际支出。

政府性基金预算财政拨款收入支出决算表

公开08表

部门名称：兴县乡村振兴局

2022年度

单位：元

项目		年初结转和结余	本年收入	本年支出			年末结转和结余
功能分类科目编码	科目名称			小计	基本支出	项目支出	
栏次		1	2	3	4	5	6
合计							
注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。							
说明：本表无数据							

国有资本经营预算财政拨款支出决算表

公开09表

部门名称：兴县乡村振兴局

2022年度

单位：元

项目		本年支出		
功能分类科目编码	科目名称	合计	基本支出	项目支出
栏次		1	2	3
合计				

注：本表反映部门本年度国有资本经营预算财政拨款支出情况。

说明：本表无数据

部门决算公开相关信息统计表

公开10表

单位名称：兴县乡村振兴局

2022年度

金额单位：元

一、政府采购情况		
项目	行次	采购金额
合计	1	10980.00
货物	2	10980.00
工程	3	
服务	4	
二、机关运行经费		
项目		统计数
(一) 行政单位	5	774368.47
(二) 参照公务员法管理事业单位	6	
三、国有资产占用情况		
(一) 车辆数合计(辆)	7	
1. 副部(省)级及以上领导用车	8	
2. 主要领导干部用车	9	1
3. 机要通信用车	10	
4. 应急保障用车	11	
5. 执法执勤用车	12	
6. 特种专业技术用车	13	
7. 离退休干部用车	14	
8. 其他用车	15	
(二) 单价100万元(含)以上设备(不含车辆)	17	

注：本表反映部门本年度政府采购及机关运行经费和国有资产占用情况。
'''

TITLES = ["收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
          "一般公共预算财政拨款支出决算明细表", "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
          "国有资本经营预算财政拨款支出决算表", "部门决算公开相关信息统计表"]

# Per table (index 0–9): header rows, amount columns, code columns, merges (r0, c0, r1, c1) in grid coordinates.
SPECS = [
    dict(header=3, amounts={2, 5}, codes=set(), merges=[(0, 0, 0, 2), (0, 3, 0, 5)]),
    dict(header=3, amounts=set(range(2, 9)), codes={0},
         merges=[(0, 0, 0, 1)] + [(0, c, 1, c) for c in range(2, 9)] + [(2, 0, 2, 1), (3, 0, 3, 1)]),
    dict(header=3, amounts=set(range(2, 8)), codes={0},
         merges=[(0, 0, 0, 1)] + [(0, c, 1, c) for c in range(2, 8)] + [(2, 0, 2, 1), (3, 0, 3, 1)]),
    dict(header=3, amounts={2, 5, 6, 7, 8}, codes=set(), merges=[(0, 0, 0, 2), (0, 3, 0, 8)]),
    dict(header=3, amounts={2, 3, 4}, codes={0}, merges=[(0, 0, 0, 1), (0, 2, 0, 4), (2, 0, 2, 1), (3, 0, 3, 1)]),
    dict(header=2, amounts={2, 3, 6, 7, 10, 11, 14, 15}, codes={0, 4, 8, 12},
         merges=[(0, 0, 0, 3), (0, 4, 0, 15), (-1, 0, -1, 1), (-1, 4, -1, 13)]),
    dict(header=4, amounts=set(range(12)), codes=set(),
         merges=[(0, 0, 0, 5), (0, 6, 0, 11)] + [m for b in (0, 6) for m in (
             (1, b, 2, b), (1, b + 1, 2, b + 1), (1, b + 2, 1, b + 4), (1, b + 5, 2, b + 5))]),
    dict(header=3, amounts=set(range(2, 8)), codes={0},
         merges=[(0, 0, 0, 1), (0, 2, 1, 2), (0, 3, 1, 3), (0, 4, 0, 6), (0, 7, 1, 7), (2, 0, 2, 1), (3, 0, 3, 1)]),
    dict(header=3, amounts={2, 3, 4}, codes={0}, merges=[(0, 0, 0, 1), (0, 2, 0, 4), (2, 0, 2, 1), (3, 0, 3, 1)]),
    dict(header=0, amounts={2}, codes=set(), merges=[]),  # 公开10表: sections; merges added per section row
]

SHEET_ORDER = [3, 9, 0, 6, 1, 8, 2, 5, 4, 7]  # tables.xlsx: sheet i holds table SHEET_ORDER[i]
NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def parse_seed() -> list[dict]:
    """The ten tables: title, number, meta lines, grid rows (lists of str), notes."""
    lines = SEED.strip("\n").split("\n")
    starts = [i for i, line in enumerate(lines) if line.strip() in TITLES]
    tables = []
    for k, start in enumerate(starts):
        body = lines[start + 1:starts[k + 1] if k + 1 < len(starts) else len(lines)]
        t = dict(title=lines[start].strip(), number="", meta=[], grid=[], notes=[])
        grid_started = False
        for line in body:
            text = line.strip()
            if text.startswith(("注", "说明")):
                t["notes"].append(text)
            elif "\t" in line:
                grid_started = True
                t["grid"].append(line.split("\t"))
            elif not text:
                if grid_started and t["grid"] and t["grid"][-1] != [] and not t["notes"]:
                    t["grid"].append([])  # page break inside the grid
            elif re.match(r"^公开\d+表$", text):
                t["number"] = text
            else:
                t["meta"].append(text)
        while t["grid"] and t["grid"][-1] == []:
            t["grid"].pop()
        tables.append(t)
    assert [t["title"] for t in tables] == TITLES, [t["title"] for t in tables]
    return tables


def wan(text: str) -> str:
    return str((Decimal(text) / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Variant:
    """How a workbook differs from the seed's print: each switch one thing finance systems and people do.

    Every combination must import to the sample's figures (``extra`` aside, which adds a column the
    importer cannot place or a 上年 column it imports into ``finance.prior``)."""
    layout: str = "tables"  # tables: one sheet per table | stacked: all on one sheet
    unit: str = "元"  # 元 | 万元 (each cell rounded to 0.01 万元 on its own, as real tables are)
    numbering: str = "number"  # the 栏次 row: number | text ("1") | bare (no “栏次” label) | absent
    unmerged: tuple[int, ...] = ()  # tables whose header merges are dropped (the word stays in the first cell)
    group_row: bool = False  # an extra header line “本年决算数” over the amount columns of 公开02/03/05表
    blank: bool = False  # a blank column after the first amount column and a blank row in each body
    hidden: bool = False  # (with blank) that column hidden, and one data row of 公开03表 hidden
    unit_at: str = "meta"  # 金额单位: meta (own line) | title | header (“决算数（万元）”) | cell (beside 部门名称)
    long_titles: bool = False  # “兴县乡村振兴局2022年度部门…表（公开01表）”, no 公开NN表 line
    sheets: str = "shuffled"  # shuffled (Sheet1…Sheet10) | reversed (reverse order, Chinese names)
    extra: str = ""  # "" | 备注 (a 备注 column with numbers in 公开03表) | 上年 (上年决算数 columns in 公开01表)
    # openpyxl writes cell texts inline (t="inlineStr"), as WPS does; Excel writes them as shared strings
    shared_strings: bool = False


UNMERGE_ALL = tuple(range(10))
CODED = (1, 2, 4)  # 收入决算表, 支出决算表, 一般公共预算财政拨款支出决算表


def _insert_col(values: list[list], merges: list, amounts: set, at: int, fill=None) -> set:
    for row in values:
        if len(row) >= at:
            row.insert(at, fill(row) if fill else None)
    for i, (r0, c0, r1, c1) in enumerate(merges):
        merges[i] = (r0, c0 + (c0 >= at), r1, c1 + (c1 >= at))
    return {c + (c >= at) for c in amounts}


def _insert_row(values: list[list], merges: list, at: int, row: list) -> None:
    values.insert(at, row)
    for i, (r0, c0, r1, c1) in enumerate(merges):
        merges[i] = (r0 + (r0 >= at), c0, r1 + (r1 >= at), c1)


def _numbering_row(index: int, values: list[list], header: int) -> int | None:
    if index in (5, 9) or header == 0:
        return None  # 公开06表 and 公开10表 print no 栏次 row
    return header - 1


def cells(index: int, table: dict, v: Variant) -> tuple[list[list], list[tuple[int, int, int, int]], int]:
    """Grid values for one table (numbers as float, codes as text or int), its merges and header height."""
    spec = SPECS[index]
    grid = [list(row) for row in table["grid"]]
    ncols = max(len(r) for r in grid)
    vehicle_section = False
    values = []
    for r, row in enumerate(grid):
        row = row + [""] * (ncols - len(row))
        if index == 9 and row[0].startswith("三、"):
            vehicle_section = True
        out = []
        for c, text in enumerate(row):
            text = text.strip()
            if not text:
                out.append(None)
                continue
            is_amount = (r >= spec["header"] and c in spec["amounts"]
                         and not (index == 9 and (vehicle_section or c != 2)) and not (index == 6 and r < 4))
            if NUMBER.match(text):
                if c in spec["codes"] and r >= spec["header"] and len(text) >= 3 and "." not in text:
                    out.append(int(text) if v.layout == "stacked" else text)
                    continue
                if is_amount and v.unit == "万元":
                    text = wan(text)
                if v.layout == "stacked" and index in (1, 2) and is_amount:
                    out.append(f"{Decimal(text):,.2f}")  # text numbers with thousands separators
                else:
                    out.append(float(text) if "." in text else int(text))
                continue
            if v.layout == "tables" and index in (2, 6) and " " in text:
                text = text.replace(" ", "\n")  # a label wrapped inside its cell
            out.append(text)
        values.append(out)
    merges = [(r0 if r0 >= 0 else len(grid) + r0, c0, r1 if r1 >= 0 else len(grid) + r1, c1)
              for r0, c0, r1, c1 in spec["merges"]]
    if index == 9:
        merges += [(r, 0, r, 2) for r, row in enumerate(grid) if row and re.match(r"^[一二三]、", row[0])]
    return _vary(index, values, merges, set(spec["amounts"]), spec["header"], v)


def _vary(index: int, values: list[list], merges: list, amounts: set, header: int, v: Variant):
    """Apply the variant's switches to one table's grid (module doc of ``Variant``)."""
    numbering = _numbering_row(index, values, header)
    if numbering is not None and v.numbering != "number":
        row = values[numbering]
        if v.numbering == "absent":
            del values[numbering]
            merges[:] = [(r0 - (r0 > numbering), c0, r1 - (r1 >= numbering), c1) for r0, c0, r1, c1 in merges
                         if not r0 == r1 == numbering]
            header -= 1
        else:
            for c, value in enumerate(row):
                if v.numbering == "text" and isinstance(value, (int, float)):
                    row[c] = str(int(value))
                elif v.numbering == "bare" and value == "栏次":
                    row[c] = None
    if index in v.unmerged:
        merges[:] = [m for m in merges if m[0] >= header or m[2] >= header]
    if v.group_row and index in CODED:
        first, last = min(amounts), max(amounts)
        _insert_row(values, merges, 0, [None] * first + ["本年决算数"] + [None] * (last - first))
        if index not in v.unmerged:
            merges.append((0, first, 0, last))
        header += 1
    if v.extra == "上年" and index == 0:
        for at in (6, 3):  # after each side's 决算数
            amounts = _insert_col(values, merges, amounts, at, _prior_fill(values, at, header))
    if v.extra == "备注" and index == 2:
        width = max(len(r) for r in values)
        for r, row in enumerate(values):
            row += [None] * (width - len(row)) + [("备注" if r == 0 else 1000.0 if r == header + 1 else None)]
    if v.blank and index not in (5, 9):
        amounts = _insert_col(values, merges, amounts, min(amounts) + 1)
        _insert_row(values, merges, header + 1, [])
    return values, merges, header


def _prior_fill(values: list[list], at: int, header: int):
    """上年决算数: nine tenths of this year's figure (any figure will do: it goes to finance.prior)."""
    def fill(row):
        r = next(i for i, x in enumerate(values) if x is row)
        if r == 1:
            return "上年决算数"
        current = row[at - 1] if len(row) >= at else None
        if r >= header and isinstance(current, float):
            return float((Decimal(repr(current)) * Decimal("0.9")).quantize(Decimal("0.01")))
        return None
    return fill


def write_table(ws, top: int, index: int, table: dict, v: Variant) -> int:
    """Write one table at row ``top`` (1-based); returns the next free row."""
    grid, merges, header = cells(index, table, v)
    last = max(len(r) for r in grid)
    unit_text = [m for m in table["meta"] if "单位：" in m and "名称" not in m][0]
    if v.unit == "万元":
        unit_text = unit_text.replace("元", "万元")
    dept = [m for m in table["meta"] if "名称" in m][0]
    year = [m for m in table["meta"] if re.match(r"^\d{4}年度$", m)][0]
    title = table["title"]
    if v.long_titles:
        title = f"兴县乡村振兴局2022年度{'' if title.startswith('部门') else '部门'}{title}（{table['number']}）"
    if v.unit_at == "title":
        title += f"（{unit_text.replace('金额', '')}）"
    r = top
    ws.cell(r, 1, title).font = Font(name="宋体", size=16, bold=True)
    ws.cell(r, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=last)
    r += 1
    if not v.long_titles:
        ws.cell(r, last, table["number"]).alignment = Alignment(horizontal="right")
        r += 1
    meta = [(1, dept), ((last + 1) // 2, year)] + ([(last, unit_text)] if v.unit_at in ("meta", "cell") else [])
    if v.layout == "tables" and v.unit_at != "cell":  # as printed: one line each
        for i, (c, text) in enumerate(meta):
            ws.cell(r + i, c, text)
        r += len(meta)
    else:
        for c, text in meta:
            ws.cell(r, c, text)
        r += 1
    first = r
    if v.unit_at == "header":
        amount_col = min(c for c, x in enumerate(grid[header]) if isinstance(x, (float, int, str))
                         and c in range(1, last)) if index == 6 else min(SPECS[index]["amounts"] or {0})
        row = next(rr for rr in range(header - 1, -1, -1) if isinstance(grid[rr][amount_col], str)
                   and not grid[rr][amount_col].isdigit()) if index != 9 else 1
        grid[row][amount_col] += f"（{'万元' if v.unit == '万元' else '元'}）"
    for row in grid:
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
            if row:
                cell = ws.cell(r, c)
                cell.border = BOX
                if isinstance(value, float):
                    cell.number_format = "#,##0.00"
        r += 1
    for r0, c0, r1, c1 in merges:
        ws.merge_cells(start_row=first + r0, start_column=c0 + 1, end_row=first + r1, end_column=c1 + 1)
    if v.hidden and v.blank and index not in (5, 9):
        ws.column_dimensions[get_column_letter(min(SPECS[index]["amounts"]) + 2)].hidden = True
        if index == 2:
            ws.row_dimensions[first + header + 2].hidden = True  # a 科目 row: still imported
    for note in table["notes"]:
        ws.cell(r, 1, note)
        r += 1
    return r


def build(v: Variant = Variant(), tamper=None) -> Workbook:
    tables = parse_seed()
    if tamper:
        tamper(tables)
    wb = Workbook()
    wb.remove(wb.active)
    if v.layout == "tables":
        order = SHEET_ORDER if v.sheets == "shuffled" else list(range(9, -1, -1))
        for i, index in enumerate(order):
            name = f"Sheet{i + 1}" if v.sheets == "shuffled" else f"{i + 1}、{TITLES[index][:8]}"
            write_table(wb.create_sheet(name), 1, index, tables[index], v)
    else:
        ws = wb.create_sheet("部门决算")
        r = 1
        for index, table in enumerate(tables):
            r = write_table(ws, r, index, table, v) + 2
    for ws in wb.worksheets:
        for col in "ABCDEFGHIJKLMNOPQ":
            if not ws.column_dimensions[col].hidden:
                ws.column_dimensions[col].width = 16
    return wb


def save(v: Variant, path: Path, tamper=None) -> Path:
    build(v, tamper).save(path)
    if v.shared_strings:
        shared_strings(path)
    return path


def shared_strings(path: Path) -> None:
    """Rewrite every inline-string cell (how openpyxl and WPS write text) as a shared string, as Excel does."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    table: dict[bytes, int] = {}

    def shared(m: re.Match) -> bytes:
        index = table.setdefault(m.group(3), len(table))
        return m.group(1) + b' t="s"' + m.group(2) + b"><v>" + str(index).encode() + b"</v></c>"

    for name in parts:
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = re.sub(rb'(<c\b[^>]*?) t="inlineStr"([^>]*)><is>(.*?)</is></c>', shared, parts[name], flags=re.S)
    ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="' + ns
                                     + b'" count="%d" uniqueCount="%d">' % (len(table), len(table))
                                     + b"".join(b"<si>" + text + b"</si>" for text in table) + b"</sst>")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdShared" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings"/></Relationships>'))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def set_cell(table: dict, code: str, col: int, value: str) -> None:
    for row in table["grid"]:
        if row and row[0].strip() == code:
            row[col] = value
            return
    raise KeyError(code)


def tamper_bad_number(tables):
    set_cell(tables[1], "2101101", 2, "12,3x4")


def tamper_broken_total(tables):
    set_cell(tables[1], "合计", 2, "31066353.81")  # digits swapped: 收入合计 ≠ 财政拨款 + 其他收入


def tamper_no_amount(tables):
    for row in tables[0]["grid"]:
        if len(row) > 2:
            del row[2]
    SPECS[0]["merges"] = [(0, 0, 0, 1), (0, 2, 0, 4)]
    SPECS[0]["amounts"] = {4}


def main(argv: list[str]) -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    save(Variant(), DATA / "tables.xlsx")
    save(Variant(layout="stacked"), DATA / "stacked.xlsx")
    save(Variant(unit="万元"), DATA / "wan.xlsx")
    save(Variant(), DATA / "bad_number.xlsx", tamper_bad_number)
    save(Variant(), DATA / "broken_total.xlsx", tamper_broken_total)
    saved = [dict(s) for s in SPECS]
    save(Variant(), DATA / "no_amount_column.xlsx", tamper_no_amount)
    SPECS[:] = saved
    (DATA / "not_a_workbook.xlsx").write_text("兴县乡村振兴局 2022年度部门决算\n收入合计 31066335.81\n", encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    ws.title = "人员信息"
    for row in (["兴县乡村振兴局在职人员花名册"], ["姓名", "职务", "编制类型"], ["张三", "局长", "行政"],
                ["李四", "股长", "事业"]):
        ws.append(row)
    ws2 = wb.create_sheet("工作计划")
    ws2.append(["2023年工作计划"])
    ws2.append(["序号", "事项", "预算（万元）"])
    ws2.append([1, "雨露计划", 520.2])
    wb.save(DATA / "no_tables.xlsx")
    if "--xls" in argv:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            sys.exit("需要 LibreOffice（soffice）来生成 .xls 文件")
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                            "--convert-to", "xls", "--outdir", str(DATA),
                            str(DATA / "tables.xlsx"), str(DATA / "stacked.xlsx")], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
