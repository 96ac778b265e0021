#!/usr/bin/env python3
"""Writes the CSV directory fixtures: good/ (a small account) and bad/ (one
file per validation rule: the good file plus one bad record appended).

The files are committed; run this only to change them, then update the line
numbers in tests/cpp/csv_directory_test.cpp (printed below)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
GOOD = {
    # UTF-8 BOM and CRLF line ends on purpose.
    "users.csv": "\ufeffid,name,group\r\n1,Анна Иванова,Отдел продаж\r\n2,\"Smith, John\",Sales\r\n3,Борис,\r\n",
    "account.csv": "key,value\ntime_zone,Europe/Moscow\nfirst_day_of_week,monday\ncurrency,RUB\n",
    "pipelines.csv": "id,name\n1,Продажи\n2,\"Partners, Inc\"\n",
    "stages.csv": (
        "pipeline_id,id,name,sort,kind\n"
        "1,10,Неразобранное,5,unsorted\n"
        "1,11,New,10,open\n"
        "1,12,Talks,20,open\n"
        "1,142,Успешно,10000,won\n"
        "1,143,Закрыто,11000,lost\n"
        "2,21,Intro,10,open\n"
        "2,22,Offer,20,open\n"
        "2,142,Won,10000,won\n"
        "2,143,Lost,11000,lost\n"),
    "deals.csv": (
        "id,pipeline_id,stage_id,created_at,closed_at,budget,responsible_user_id,name,channel,tags,loss_reason,"
        "contact_id,company_id,is_deleted\n"
        "101,1,12,2024-01-10T09:00,,1500.50,1,\"Сделка \"\"Ромашка\"\"\",forms,VIP;горячий,,501,601,0\n"
        "102,1,142,1704870000,1705000000,2000,2,Big deal,sip,,,,,0\n"
        "103,1,143,2024-01-11 10:00:00+03:00,1705300000,0.99,3,Lost one,mail,cold,\"Дорого, нет бюджета\",502,,false\n"
        "104,1,11,1704900000,,,,Deleted,,,,,,1\n"
        "105,2,22,1705000000,,300,1,Moved,chats,,,,,0\n"
        "106,1,142,1705100000,1705400000,10,2,Reopened,,,,,,0\n"
        "107,1,143,1705200000,1705600000,5,1,Implied close,,,Нет ответа,,,0\n"
        "108,1,12,1705250000,,7,,No-op,,,,,,0\n"
        "109,1,12,1705260000,,8,,Implied active,,,,,,0\n"
        "110,1,11,1705270000,,1,2,\"Line one\nline two\",,\"a; b ;;c\",,,,0\n"
        "111,1,11,2024-01-20,,12.345,3,After newline,,,,,,0\n"),
    "stage_changes.csv": (
        "deal_id,at,from_pipeline_id,from_stage_id,to_pipeline_id,to_stage_id,by_user_id\n"
        "101,2024-01-10T09:00,,,,10,1\n"
        "101,1704952800,,10,,11,1\n"
        "101,1705039200,,11,,12,\n"
        "103,1705000000,,11,,12,3\n"
        "103,1705300000,,12,,143,3\n"
        "\n"
        "105,1705000000,,,1,11,1\n"
        "105,1705100000,1,11,2,21,1\n"
        "105,1705200000,,21,,22,\n"
        "106,1705400000,,12,,142,2\n"
        "106,1705100000,,,,11,\n"
        "106,1705300000,,142,,12,2\n"
        "106,1705200000,,11,,142,2\n"
        "107,1705200000,,,,10,1\n"
        "107,1705300000,,10,,11,1\n"
        "108,1705250000,,,,11,\n"
        "108,1705260000,,11,,11,\n"
        "108,1705270000,,11,,12,\n"
        "109,1705260000,,,,10,\n"
        "109,1705270000,,10,,11,\n"),
    "tasks.csv": (
        "id,responsible_user_id,created_at,due_at,completed_at,entity_type,entity_id,type\n"
        "301,1,1704870000,1704956400,1704950000,lead,101,call\n"
        "302,2,1704880000,1705000000,,lead,102,meeting\n"
        "303,,1704890000,,,contact,501,письмо\n"),
    "contacts.csv": "id,created_at,responsible_user_id\n501,1704800000,1\n502,1704810000,\n",
    "companies.csv": "id,created_at,responsible_user_id\n601,1704800000,2\n",
    "customers.csv": "id,created_at,responsible_user_id\n701,1704800000,1\n",
    "invoices.csv": "id,created_at,responsible_user_id\n801,1705000000,2\n",
    "purchases.csv": "id,customer_id,at,amount\n901,701,1705100000,99.99\n902,,1705200000,1000\n",
    "unsorted.csv": (
        "id,channel,created_at,resolved_at,outcome,deal_id,pipeline_id\n"
        "1001,mail,1704860000,1704866400,accepted,101,1\n"
        "1002,sip,1704870000,1704880000,declined,,\n"
        "1003,forms,1704890000,,pending,,1\n"),
    "events.csv": (
        "id,type,entity_type,entity_id,created_at,created_by,value_before,value_after\n"
        "e1,lead_added,lead,101,1704866400,1,,\n"
        "e2,lead_status_changed,lead,101,1704952800,0,"
        "\"[{\"\"lead_status\"\":{\"\"id\"\":10,\"\"pipeline_id\"\":1}}]\","
        "\"[{\"\"lead_status\"\":{\"\"id\"\":11,\"\"pipeline_id\"\":1}}]\"\n"),
}

# rule -> (file replaced, bad record appended)
BAD = {
    "unknown_pipeline.deals": ("deals.csv", "201,9,11,1705000000,,1,1,Bad,,,,,,0"),
    "unknown_pipeline.stages": ("stages.csv", "9,30,Ghost,10,open"),
    "unknown_stage.deals": ("deals.csv", "201,1,99,1705000000,,1,1,Bad,,,,,,0"),
    "stage_other_pipeline.deals": ("deals.csv", "201,1,21,1705000000,,1,1,Bad,,,,,,0"),
    "closed_on_active.deals": ("deals.csv", "201,1,11,1705000000,1705100000,1,1,Bad,,,,,,0"),
    "closed_missing.deals": ("deals.csv", "201,1,142,1705000000,,1,1,Bad,,,,,,0"),
    "closed_before_created.deals": ("deals.csv", "201,1,143,1705000000,1704000000,1,1,Bad,,,,,,0"),
    "change_before_creation.stage_changes": ("stage_changes.csv", "101,1704800000,,10,,11,1"),
    "change_unknown_deal.stage_changes": ("stage_changes.csv", "999,1705000000,,10,,11,1"),
    "change_stage_not_in_pipeline.stage_changes": ("stage_changes.csv", "101,1705100000,,12,,21,1"),
    "duplicate_deal.deals": ("deals.csv", "101,1,11,1705000000,,1,1,Again,,,,,,0"),
    "duplicate_user.users": ("users.csv", "2,Someone else,"),
    "duplicate_pipeline.pipelines": ("pipelines.csv", "1,Again"),
    "duplicate_stage.stages": ("stages.csv", "1,11,Again,30,open"),
    "duplicate_task.tasks": ("tasks.csv", "302,1,1704880000,,,lead,101,call"),
    "negative_budget.deals": ("deals.csv", "201,1,11,1705000000,,-5.00,1,Bad,,,,,,0"),
    "time_before_1970.deals": ("deals.csv", "201,1,11,1969-12-31T23:00:00Z,,1,1,Bad,,,,,,0"),
    "time_after_2100.stage_changes": ("stage_changes.csv", "101,2100-01-02T00:00:00Z,,12,,11,1"),
    "unknown_user.deals": ("deals.csv", "201,1,11,1705000000,,1,77,Bad,,,,,,0"),
    "unknown_user.stage_changes": ("stage_changes.csv", "101,1705100000,,12,,11,77"),
    "malformed_id.deals": ("deals.csv", "20x1,1,11,1705000000,,1,1,Bad,,,,,,0"),
    "malformed_time.deals": ("deals.csv", "201,1,11,2024-13-01,,1,1,Bad,,,,,,0"),
    "malformed_money_comma.deals": ("deals.csv", "201,1,11,1705000000,,\"12,5\",1,Bad,,,,,,0"),
    "malformed_money_text.deals": ("deals.csv", "201,1,11,1705000000,,abc,1,Bad,,,,,,0"),
    "malformed_kind.stages": ("stages.csv", "1,30,Weird,30,winning"),
}


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def main():
    for name, text in GOOD.items():
        write(os.path.join(HERE, "good", name), text)
    for rule, (file, record) in sorted(BAD.items()):
        base = GOOD[file]
        eol = "\r\n" if base.endswith("\r\n") else "\n"
        line = base.count("\n") + 1
        write(os.path.join(HERE, "bad", rule + ".csv"), base + record + eol)
        print(f"{rule}: line {line}")
    # A deals.csv without its required stage_id column.
    write(os.path.join(HERE, "bad", "missing_column.deals.csv"), "id,pipeline_id,created_at\n101,1,1705000000\n")


if __name__ == "__main__":
    main()
