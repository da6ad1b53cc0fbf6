"""Writes samples/reports.jsonl and samples/labels.jsonl: hand-written reports following the seed
case, and genuine reports that look alike on the surface. Evidence files come from samples/evidence/
(made once with ImageMagick and exiftool; see samples/evidence/README.md). Run from samples/."""
import base64, hashlib, json

def ev(kind, name, media, claimed, declared_sha=None):
  data = open("evidence/" + name, "rb").read()
  return {"evidenceId": name, "kind": kind, "fileName": name, "mediaType": media,
          "sha256": declared_sha or hashlib.sha256(data).hexdigest(), "sizeBytes": len(data),
          "claimedCapturedAt": claimed, "contentBase64": base64.b64encode(data).decode()}
host = {"accountId":"u-host","createdAt":"2014-03-02T09:00:00Z","displayName":"Wang Dan","email":"wang.dan@example.org","emailVerified":True,"country":"US","meetingsAttended":412,"reportsFiled":1,"reportsUpheld":1,"signupIp":"198.51.100.20","deviceIds":["d-host-1"]}
def P(a,n,j,l,ip,c="US"): return {"accountId":a,"displayName":n,"joinedAt":j,"leftAt":l,"ip":ip,"country":c}
commemoration = {
 "meetingId":"m-6401","title":"June 4th commemoration: 31 years since Tiananmen","tags":["commemoration","history"],
 "hostAccountId":"u-host","scheduledAt":"2020-05-20T08:00:00Z","startedAt":"2020-06-03T12:00:00Z","endedAt":"2020-06-03T14:55:00Z",
 "participants":[
  P("u-host","Wang Dan","2020-06-03T11:58:00Z","2020-06-03T14:55:00Z","198.51.100.20"),
  P("u-lee","Lee Cheuk-yan","2020-06-03T12:01:00Z","2020-06-03T14:50:00Z","203.0.113.44","HK"),
  P("u-zhou","Zhou Fengsuo","2020-06-03T12:05:00Z","2020-06-03T14:20:00Z","192.0.2.81"),
  P("u-sleeper","Li Ming","2020-06-03T12:00:30Z","2020-06-03T14:55:00Z","100.64.12.9","CN"),
  P("u-infil","Chen Hao","2020-06-03T12:30:00Z","2020-06-03T12:33:00Z","100.64.12.17","CN"),
  P("u-guest1","Anna Kowalski","2020-06-03T12:03:00Z","2020-06-03T14:55:00Z","198.51.100.77","DE"),
 ],
 "chat":[
  {"accountId":"u-host","sentAt":"2020-06-03T12:02:00Z","text":"Welcome everyone. We begin with a minute of silence."},
  {"accountId":"u-lee","sentAt":"2020-06-03T12:40:00Z","text":"Thank you all for keeping the memory alive."},
  {"accountId":"u-zhou","sentAt":"2020-06-03T13:10:00Z","text":"I was in the square in 1989. I will speak about what I saw."},
 ]}
def acct(id,created,name,email,verified,country,attended,filed,upheld,ip,devices):
  return {"accountId":id,"createdAt":created,"displayName":name,"email":email,"emailVerified":verified,"country":country,"meetingsAttended":attended,"reportsFiled":filed,"reportsUpheld":upheld,"signupIp":ip,"deviceIds":devices}
reports=[]; labels=[]
def add(r,label,family,why):
  reports.append(r); labels.append({"reportId":r["reportId"],"label":label,"family":family,"why":why})

# --- Fabricated, following the seed's pattern
add({"reportId":"r-seed-01","receivedAt":"2020-06-03T14:10:00Z","channel":"web_form","category":"terrorism",
 "text":"This meeting is recruiting for a terrorist organisation. The host calls for violent attacks. Shut it down.",
 "reporter":acct("u-fresh1","2020-06-03T13:30:00Z","Patriot 2020","patriot2020@mailinator.com",False,"US",0,0,0,"100.64.12.5",["d-ops-1"]),
 "reporterSession":{"ip":"100.64.12.5","deviceId":"d-ops-1","country":"CN","userAgent":"Mozilla/5.0"},
 "subject":{"kind":"meeting","meeting":commemoration,"accounts":[host]},
 "claims":{"occurredAt":"2020-06-03T13:55:00Z","speakerAccountId":"u-host","quote":"join the armed struggle tonight"}},
 "fabricated","fresh-account-batch","account 40 minutes old, disposable email, never in the meeting, quote not in chat, filed from another country")
fake = acct("u-fake-wang","2020-06-03T11:05:00Z","Wang  Dan.","wangdan.official@protonmail.com",False,"US",0,0,0,"100.64.12.5",["d-ops-1"])
add({"reportId":"r-seed-02","receivedAt":"2020-06-03T14:25:00Z","channel":"in_app","category":"child_safety",
 "text":"The host of this meeting, Wang Dan, shared child abuse material in the meeting. See his profile.",
 "reporter":acct("u-fresh2","2020-06-03T13:41:00Z","Concerned Parent","c.parent@yopmail.com",False,"US",0,0,0,"100.64.12.6",["d-ops-1"]),
 "reporterSession":{"ip":"100.64.12.6","deviceId":"d-ops-1","country":"CN"},
 "subject":{"kind":"meeting","meeting":commemoration,"accounts":[fake]},
 "claims":{"occurredAt":"2020-06-03T14:05:00Z","speakerAccountId":"u-fake-wang","quote":"sharing the files now"}},
 "fabricated","fake-profile","accused is a 3-hour-old profile in the host's name on the reporter's own device, never in the meeting")
add({"reportId":"r-seed-03","receivedAt":"2020-06-03T15:02:00Z","channel":"in_app","category":"violent_extremism",
 "text":"At 14:40 Zhou Fengsuo told everyone to attack the consulate and burn it. I heard it myself.",
 "reporter":acct("u-sleeper","2018-04-11T10:00:00Z","Li Ming","li.ming88@example.net",True,"US",37,6,0,"100.64.12.9",["d-sl-1"]),
 "reporterSession":{"ip":"100.64.12.9","deviceId":"d-sl-1","country":"US"},
 "subject":{"kind":"meeting","meeting":commemoration,"accounts":[acct("u-zhou","2012-09-01T00:00:00Z","Zhou Fengsuo","zhou@example.org",True,"US",900,2,2,"192.0.2.81",["d-zhou"])]},
 "claims":{"occurredAt":"2020-06-03T14:40:00Z","speakerAccountId":"u-zhou","quote":"attack the consulate and burn it"}},
 "fabricated","sleeper","aged account that sat through the meeting; the accused had left 20 minutes before the claimed time")
add({"reportId":"r-seed-04","receivedAt":"2020-06-03T16:30:00Z","channel":"internal","category":"terrorism",
 "text":"Escalation from government liaison: this meeting promoted terrorism and must be terminated; suspend the host.",
 "reporter":acct("u-liaison","2019-01-15T00:00:00Z","Liaison Office","liaison@corp.example",True,"CN",3,14,1,"10.8.0.4",["d-corp-7"]),
 "reporterSession":{"ip":"10.8.0.4","deviceId":"d-corp-7","country":"CN"},
 "subject":{"kind":"meeting","meeting":commemoration,"accounts":[host]},
 "claims":{"occurredAt":"2020-06-03T15:30:00Z","speakerAccountId":"u-host","quote":"support the armed resistance"}},
 "fabricated","internal-pressure","internal channel, claimed time 35 minutes after the meeting ended, reporter never attended, 1 of 14 reports upheld")
add({"reportId":"r-seed-05","receivedAt":"2020-06-03T12:50:00Z","channel":"in_app","category":"child_safety",
 "text":"Someone in this meeting shared sexual images of children at 12:45.",
 "reporter":acct("u-infil","2020-06-02T22:10:00Z","Chen Hao","chenhao2020@guerrillamail.com",False,"CN",1,0,0,"100.64.12.17",["d-inf-1"]),
 "reporterSession":{"ip":"100.64.12.17","deviceId":"d-inf-1","country":"CN"},
 "subject":{"kind":"meeting","meeting":commemoration,"accounts":[host]},
 "claims":{"occurredAt":"2020-06-03T12:45:00Z","speakerAccountId":"u-host"}},
 "fabricated","infiltrator","14-hour-old account present 3 minutes, gone 12 minutes before the moment it reports")

# --- Genuine reports that look alike on the surface
bookclub = {"meetingId":"m-7702","title":"Thursday book club","tags":["books"],"hostAccountId":"u-b1",
 "scheduledAt":"2020-07-01T10:00:00Z","startedAt":"2020-07-09T18:00:00Z","endedAt":"2020-07-09T19:30:00Z",
 "participants":[
  P("u-b1","Maria Santos","2020-07-09T17:58:00Z","2020-07-09T19:30:00Z","177.34.12.8","BR"),
  P("u-b2","Tom Becker","2020-07-09T18:01:00Z","2020-07-09T19:30:00Z","89.160.20.112","DE"),
  P("u-b3","Aisha Khan","2020-07-09T18:02:00Z","2020-07-09T19:25:00Z","2.125.160.216","GB"),
  P("u-new","Sam Ortiz","2020-07-09T18:05:00Z","2020-07-09T19:30:00Z","216.160.83.56","US"),
  P("u-raid1","xXtrollXx","2020-07-09T18:40:00Z","2020-07-09T18:52:00Z","100.72.3.4","US"),
  P("u-raid2","hate_bot_9","2020-07-09T18:41:00Z","2020-07-09T18:51:00Z","100.72.3.5","US"),
 ],
 "chat":[
  {"accountId":"u-b1","sentAt":"2020-07-09T18:03:00Z","text":"Tonight we discuss chapter five."},
  {"accountId":"u-raid1","sentAt":"2020-07-09T18:42:00Z","text":"get out of this country you filthy vermin"},
  {"accountId":"u-raid2","sentAt":"2020-07-09T18:43:00Z","text":"we know where you live, all of you"},
 ]}
raid1 = acct("u-raid1","2020-07-09T18:20:00Z","xXtrollXx","troll1@example.com",False,"US",1,0,0,"100.72.3.4",["d-r1"])
raid2 = acct("u-raid2","2020-07-09T18:22:00Z","hate_bot_9","hb9@example.com",False,"US",1,0,0,"100.72.3.5",["d-r2"])
add({"reportId":"r-gen-01","receivedAt":"2020-07-09T18:50:00Z","channel":"in_app","category":"hate",
 "text":"A user called xXtrollXx is posting racist abuse in the chat and telling us to get out of the country.",
 "reporter":acct("u-new","2020-07-09T15:10:00Z","Sam Ortiz","sam.ortiz@example.com",False,"US",1,0,0,"216.160.83.56",["d-new"]),
 "reporterSession":{"ip":"216.160.83.56","deviceId":"d-new","country":"US"},
 "subject":{"kind":"meeting","meeting":bookclub,"accounts":[raid1]},
 "claims":{"occurredAt":"2020-07-09T18:42:00Z","speakerAccountId":"u-raid1","quote":"get out of this country you filthy vermin"}},
 "genuine","newcomer","a 4-hour-old account, but in the meeting for 85 minutes; the quote is in the chat from the accused at that minute")
for i,(rid,who,name,mins,text) in enumerate([
  ("r-gen-raid-1","u-b1","Maria Santos","2020-07-09T18:44:00Z","Raid in our book club: two accounts posting racist abuse and threats in chat."),
  ("r-gen-raid-2","u-b2","Tom Becker","2020-07-09T18:45:00Z","Two accounts raided our book club with racist abuse and threats in the chat."),
  ("r-gen-raid-3","u-b3","Aisha Khan","2020-07-09T18:46:00Z","Our book club got raided, two accounts posting racist abuse and threats in chat.")]):
  rep = acct(who,["2016-02-10T00:00:00Z","2017-08-01T00:00:00Z","2015-11-20T00:00:00Z"][i],name,f"{who[2:]}@example.com",True,["BR","DE","GB"][i],[210,95,330][i],[2,0,5][i],[2,0,4][i],["177.34.12.8","89.160.20.112","2.125.160.216"][i],[f"d-{who}"])
  add({"reportId":rid,"receivedAt":mins,"channel":"in_app","category":"hate","text":text,"reporter":rep,
   "reporterSession":{"ip":rep["signupIp"],"deviceId":f"d-{who}","country":rep["country"]},
   "subject":{"kind":"meeting","meeting":bookclub,"accounts":[raid1,raid2]},
   "claims":{"occurredAt":"2020-07-09T18:43:00Z","speakerAccountId":"u-raid2","quote":"we know where you live"}},
   "genuine","raid","established participants present throughout; the threat is in the chat from the accused")
victim = acct("u-lee","2011-05-05T00:00:00Z","Lee Cheuk-yan","lee.cy@example.org",True,"HK",640,1,1,"203.0.113.44",["d-lee"])
add({"reportId":"r-gen-imp","receivedAt":"2020-06-05T09:00:00Z","channel":"in_app","category":"impersonation",
 "text":"Someone made an account with my name and photo and is posting extremist messages as if they were me.",
 "reporter":victim,"reporterSession":{"ip":"203.0.113.44","deviceId":"d-lee","country":"HK"},
 "subject":{"kind":"account","accounts":[acct("u-fake-lee","2020-06-04T20:00:00Z","Lee Cheuk-yan","leecheukyan.hk@protonmail.com",False,"HK",0,0,0,"100.64.12.30",["d-ops-4"])]}},
 "genuine","impersonation-victim","the reporter is the person imitated, reporting the fake profile in their own name")
add({"reportId":"r-gen-staff","receivedAt":"2020-07-09T19:05:00Z","channel":"internal","category":"violence",
 "text":"Trust & Safety escalation: threats posted in a book club chat (see user reports r-gen-raid-*).",
 "reporter":acct("u-staff","2016-01-04T00:00:00Z","T&S on call","oncall@platform.example",True,"US",12,240,201,"67.43.156.20",["d-staff"]),
 "reporterSession":{"ip":"67.43.156.20","deviceId":"d-staff","country":"US"},
 "subject":{"kind":"meeting","meeting":bookclub,"accounts":[raid2]},
 "claims":{"occurredAt":"2020-07-09T18:43:00Z","speakerAccountId":"u-raid2","quote":"we know where you live, all of you"}},
 "genuine","staff-escalation","internal channel, but a staff account with 201 of 240 reports upheld, claim matches chat and attendance")
evidence = {
  "r-seed-01": [ev("screenshot", "backdated-screenshot.png", "image/png", "2020-06-03T13:55:00Z")],
  "r-seed-02": [ev("screenshot", "backdated-screenshot.png", "image/png", "2020-06-03T14:05:00Z")],
  "r-seed-04": [ev("email", "forged-email.eml", "message/rfc822", "2020-06-03T13:30:00Z")],
  "r-seed-05": [ev("photo", "resaved-photo.jpg", "image/jpeg", "2020-06-03T12:45:00Z")],
  "r-gen-01": [ev("photo", "screen-photo.jpg", "image/jpeg", "2020-07-09T18:42:00Z")],
  "r-gen-raid-1": [ev("screenshot", "raid-screenshot.png", "image/png", "2020-07-09T18:43:00Z")],
}
for r in reports:
  if r["reportId"] in evidence: r["evidence"] = evidence[r["reportId"]]
with open("reports.jsonl","w") as f:
  for r in reports: f.write(json.dumps(r, ensure_ascii=False)+"\n")
with open("labels.jsonl","w") as f:
  for l in labels: f.write(json.dumps(l, ensure_ascii=False)+"\n")
print(len(reports))
