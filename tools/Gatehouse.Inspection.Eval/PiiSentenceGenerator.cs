using Gatehouse.Inspection.Evaluation;

namespace Gatehouse.Inspection.Eval;

/// <summary>
/// Generates labelled sentences for the PII evaluation (<c>eval/pii-generated.jsonl</c>): realistic templates whose
/// slots are filled with valid values (labelled with their type) or hard negatives (labelled as decoys). Deterministic
/// for a seed.
/// </summary>
internal static class PiiSentenceGenerator
{
    // {slot} names: values email, phone, card, ssn, ssn-bare, iban, ipv4, ipv6, dob; decoys luhn-fail, invalid-ssn,
    // iban-bad-check, version, order-id, tracking, timestamp, price, date, mac, isbn, uuid; {name} is unlabelled.
    private static readonly string[] Templates =
    [
        // values only
        "Hi {name}, please send the signed contract to {email} by Friday.",
        "You can reach me on {phone} after 6pm, or drop a line to {email}.",
        "Customer {name} called from {phone} asking about a refund.",
        "Card on file: {card}, exp 08/27. Please charge the renewal.",
        "I paid with my Visa {card} but the charge shows twice.",
        "Payment details — card number {card}, name on card {name}.",
        "Employee record: {name}, SSN {ssn}, start date next Monday.",
        "My social security number is {ssn} and my date of birth is {dob}.",
        "SSN: {ssn-bare}",
        "Please wire the deposit to IBAN {iban} (account holder {name}).",
        "New bank details for payroll: {iban}. Old account closes this month.",
        "The attacker connected from {ipv4} and then from {ipv6}.",
        "Server logs show repeated logins from {ipv4} at night.",
        "Whitelist my home address {ipv4} on the VPN, please.",
        "Our office egress is {ipv6}; add it to the allow-list.",
        "Patient {name}, DOB: {dob}, presented with a mild fever.",
        "{name} was born on {dob} in Porto.",
        "Date of birth: {dob}\nPhone: {phone}\nEmail: {email}",
        "Applicant's birthday is {dob}; contact {email} for references.",
        "Forwarding from {email}: call {name} at {phone} re the invoice.",
        "Hey, it's {name}! New number: {phone}. Save it.",
        "Refund to IBAN {iban}, or to card {card} if that fails.",
        "Ticket #4821: user {email} reports being locked out; last seen from {ipv4}.",
        "Emergency contact: {name}, {phone}, {email}.",
        "The form lists SSN {ssn}, DOB {dob}, and email {email}.",

        // decoys only
        "The card {luhn-fail} was declined because the number is invalid.",
        "Test data: card number {luhn-fail} (fails the checksum on purpose).",
        "Order {order-id} shipped today; tracking number {tracking}.",
        "Your order {order-id} of {price} has been confirmed.",
        "Upgraded the agent to version {version} and restarted the service.",
        "Release notes for v{version}: fixed a memory leak in the parser.",
        "Build {version} is now rolling out to the beta channel.",
        "The SSN field rejected {invalid-ssn} because that range is never issued.",
        "Example of an invalid SSN: {invalid-ssn}.",
        "IBAN {iban-bad-check} failed validation — check digits do not match.",
        "Typo in the IBAN: {iban-bad-check}, please resend.",
        "[{timestamp}] INFO worker 3 finished batch in 412 ms",
        "Event recorded at {timestamp} with latency 87 ms.",
        "The meeting moved to {date} at 10:30.",
        "Invoice total {price}, due {date}.",
        "Device MAC {mac} joined the network at {timestamp}.",
        "See ISBN {isbn} for the second edition.",
        "Request id {uuid} failed with status 503 after {timestamp}.",
        "Tracking {tracking} — out for delivery, estimated {date}.",
        "Prices went from {price} to {price} between {date} and {date}.",
        "Package {tracking} for order {order-id} is delayed.",
        "Kernel {version} panicked at {timestamp}.",
        "The contract starts on {date} and the fee is {price}.",
        "Reference {order-id}: the card {luhn-fail} could not be charged.",

        // both
        "{name} (DOB {dob}) ordered {order-id} for {price} with card {card}.",
        "Card {card} approved; card {luhn-fail} declined. Contact {email}.",
        "Please update payroll for {name}: SSN {ssn}, IBAN {iban}. The old IBAN {iban-bad-check} was a typo.",
        "Login from {ipv4} at {timestamp} by {email} (client version {version}).",
        "Shipment {tracking} to {name}, phone {phone}, order {order-id}.",
        "The SSN {invalid-ssn} is invalid; the correct one is {ssn}.",
        "Invoice {order-id} dated {date}: pay {price} to {iban}.",
        "User {email} (MAC {mac}) connected via {ipv6}.",
        "Born {dob}; joined on {date}; badge request {uuid}.",
        "Call {phone} about order {order-id} before {date}.",
    ];

    /// <summary>Generates <paramref name="count"/> examples from <paramref name="seed"/>.</summary>
    public static IEnumerable<SpanExample> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var values = new PiiValues(random);
        for (var i = 0; i < count; i++)
        {
            var index = random.Next(Templates.Length);
            yield return Fill(Templates[index], values).Build("pii", $"template-{index:00}");
        }
    }

    private static LabelledTextBuilder Fill(string template, PiiValues values)
    {
        var builder = new LabelledTextBuilder();
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf('{', at);
            if (open < 0)
            {
                builder.Text(template[at..]);
                break;
            }

            var close = template.IndexOf('}', open);
            builder.Text(template[at..open]);
            Slot(builder, template[(open + 1)..close], values);
            at = close + 1;
        }

        return builder;
    }

    private static void Slot(LabelledTextBuilder builder, string slot, PiiValues v)
    {
        _ = slot switch
        {
            "name" => builder.Text(v.Name()),
            "email" => builder.Value(v.Email(), "email"),
            "phone" => builder.Value(v.Phone(), "phone"),
            "card" => builder.Value(v.Card(), "credit_card"),
            "ssn" => builder.Value(v.Ssn(spaces: v.Digits(1) == "0"), "us_ssn"),
            "ssn-bare" => builder.Value(v.Ssn().Replace("-", "", StringComparison.Ordinal), "us_ssn"),
            "iban" => builder.Value(v.Iban(), "iban"),
            "ipv4" => builder.Value(v.IpV4(), "ipv4"),
            "ipv6" => builder.Value(v.IpV6(), "ipv6"),
            "dob" => builder.Value(v.BirthDate(), "date_of_birth"),
            "luhn-fail" => builder.Decoy(v.LuhnFailingCard(), slot),
            "invalid-ssn" => builder.Decoy(v.InvalidSsn(), slot),
            "iban-bad-check" => builder.Decoy(v.IbanWithWrongCheck(), slot),
            "version" => builder.Decoy(v.Version(), slot),
            "order-id" => builder.Decoy(v.OrderId(), slot),
            "tracking" => builder.Decoy(v.Tracking(), slot),
            "timestamp" => builder.Decoy(v.Timestamp(), slot),
            "price" => builder.Decoy(v.Price(), slot),
            "date" => builder.Decoy(v.PlainDate(), slot),
            "mac" => builder.Decoy(v.MacAddress(), slot),
            "isbn" => builder.Decoy(v.Isbn(), slot),
            "uuid" => builder.Decoy(v.Uuid(), slot),
            _ => throw new ArgumentException($"unknown slot {{{slot}}}", nameof(slot)),
        };
    }
}
