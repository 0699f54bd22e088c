// The wire protocol on its own: COBS, CRC-32, frames and every message, round trips and malformed
// input. The decoder must drop and count what is wrong and resynchronise on the next delimiter.
#include "protocol/nesy_cobs.h"
#include "protocol/nesy_crc32.h"
#include "protocol/nesy_frame.h"
#include "protocol/nesy_msg.h"
#include <QtTest>
#include <cstring>
#include <vector>

namespace {

using Bytes = std::vector<std::uint8_t>;

struct Collected {
    std::vector<nesy_msg> messages;
    int undecodable = 0;
};

void collect(void* ctx, const nesy_frame* f)
{
    auto* c = static_cast<Collected*>(ctx);
    nesy_msg m;
    std::memset(&m, 0, sizeof m);
    if (nesy_msg_decode(f, &m) == NESY_DECODE_OK)
        c->messages.push_back(m);
    else
        ++c->undecodable;
}

Bytes encode(const nesy_msg& m)
{
    Bytes out(NESY_MAX_WIRE_FRAME);
    std::size_t n = nesy_msg_encode(&m, out.data(), out.size());
    out.resize(n);
    return out;
}

Bytes frame(std::uint8_t type, std::uint16_t seq, const Bytes& body)
{
    Bytes out(NESY_MAX_WIRE_FRAME);
    std::size_t n = nesy_frame_encode(type, seq, body.data(), static_cast<std::uint16_t>(body.size()), out.data(), out.size());
    out.resize(n);
    return out;
}

// COBS-encodes raw bytes (header + body + crc chosen by the test) with a delimiter.
Bytes stuff(const Bytes& raw)
{
    Bytes out(NESY_COBS_MAX_ENCODED(raw.size()) + 1);
    std::size_t n = nesy_cobs_encode(raw.data(), raw.size(), out.data(), out.size());
    out.resize(n);
    out.push_back(0);
    return out;
}

Bytes rawFrame(std::uint8_t version, std::uint8_t type, std::uint16_t seq, std::uint16_t declared, const Bytes& body)
{
    Bytes raw(6 + body.size());
    raw[0] = version;
    raw[1] = type;
    raw[2] = static_cast<std::uint8_t>(seq);
    raw[3] = static_cast<std::uint8_t>(seq >> 8);
    raw[4] = static_cast<std::uint8_t>(declared);
    raw[5] = static_cast<std::uint8_t>(declared >> 8);
    std::copy(body.begin(), body.end(), raw.begin() + 6);
    std::uint32_t crc = nesy_crc32(raw.data(), raw.size());
    for (int i = 0; i < 4; ++i)
        raw.push_back(static_cast<std::uint8_t>(crc >> (8 * i)));
    return raw;
}

nesy_msg blank(std::uint8_t type, std::uint16_t seq = 7)
{
    nesy_msg m;
    std::memset(&m, 0, sizeof m);
    m.type = type;
    m.seq = seq;
    return m;
}

std::vector<nesy_msg> sampleMessages()
{
    std::vector<nesy_msg> all;
    nesy_msg m = blank(NESY_MSG_HELLO);
    m.u.hello = {NESY_PROTOCOL_VERSION, 0xDEADBEEF};
    all.push_back(m);
    m = blank(NESY_MSG_BOARD_INFO);
    m.u.board_info.protocol_version = NESY_PROTOCOL_VERSION;
    m.u.board_info.fw_major = 1;
    m.u.board_info.clock_hz = 180000000;
    m.u.board_info.flash_bytes = 524288;
    m.u.board_info.sram_bytes = 131072;
    m.u.board_info.reserved_flash_bytes = 1000;
    m.u.board_info.reserved_sram_bytes = 2000;
    m.u.board_info.max_chunk = NESY_MAX_CHUNK;
    m.u.board_info.image_arch = 1;
    m.u.board_info.program_area_addr = 0x20008000;
    m.u.board_info.program_area_bytes = 65536;
    m.u.board_info.program_ram_addr = 0x20018000;
    m.u.board_info.program_ram_bytes = 32768;
    std::strcpy(m.u.board_info.profile_id, "nucleo-f446re");
    std::strcpy(m.u.board_info.mcu, "STM32F446RE");
    std::strcpy(m.u.board_info.core, "cortex-m4");
    std::strcpy(m.u.board_info.serial, "0123456789abcdef0123456789abcdef"); // exactly NESY_MAX_TEXT
    all.push_back(m);
    m = blank(NESY_MSG_DEPLOY_BEGIN);
    m.u.deploy_begin = {4096, 0x12345678};
    all.push_back(m);
    m = blank(NESY_MSG_DEPLOY_CHUNK);
    m.u.deploy_chunk.offset = 1000;
    m.u.deploy_chunk.length = NESY_MAX_CHUNK;
    for (unsigned i = 0; i < NESY_MAX_CHUNK; ++i)
        m.u.deploy_chunk.data[i] = static_cast<std::uint8_t>(i % 3 == 0 ? 0 : i); // many zeros: COBS at work
    all.push_back(m);
    all.push_back(blank(NESY_MSG_DEPLOY_END));
    m = blank(NESY_MSG_RUN);
    m.u.run.count = 10;
    m.u.run.source = NESY_RUN_INLINE;
    m.u.run.n_inputs = NESY_MAX_RUN_INPUTS;
    for (unsigned i = 0; i < NESY_MAX_RUN_INPUTS; ++i)
        m.u.run.inputs[i] = 0.5f * static_cast<float>(i) - 3.0f;
    all.push_back(m);
    m = blank(NESY_MSG_TELEMETRY_CONFIG);
    m.u.telemetry_config.period_us = 1000;
    all.push_back(m);
    all.push_back(blank(NESY_MSG_RESET));
    m = blank(NESY_MSG_ACK);
    m.u.ack = {NESY_MSG_DEPLOY_CHUNK, NESY_ACK_BAD_OFFSET, 3000};
    all.push_back(m);
    m = blank(NESY_MSG_RESULT);
    m.u.result.runs = 10;
    m.u.result.output_crc = 0xCAFEBABE;
    m.u.result.cycles_mean = 1234;
    m.u.result.cycles_max = 1300;
    m.u.result.flash_used = 9000;
    m.u.result.sram_static = 800;
    m.u.result.peak_arena = 512;
    m.u.result.peak_stack = 256;
    m.u.result.n_outputs = NESY_MAX_OUTPUTS;
    for (unsigned i = 0; i < NESY_MAX_OUTPUTS; ++i)
        m.u.result.outputs[i] = -1.25f * static_cast<float>(i);
    all.push_back(m);
    m = blank(NESY_MSG_TELEMETRY, 0);
    m.u.telemetry = {42, 1000000, 9000, 1056, 1234, NESY_STATE_READY};
    all.push_back(m);
    m = blank(NESY_MSG_FAULT);
    m.u.fault.code = NESY_FAULT_RAM_OVERFLOW;
    m.u.fault.in_reply_to = NESY_MSG_DEPLOY_END;
    std::strcpy(m.u.fault.detail, "program needs 140000 bytes of SRAM, 100000 usable");
    all.push_back(m);
    return all;
}

} // namespace

class TestDevicesProtocol : public QObject {
    Q_OBJECT
private slots:
    void crcMatchesTheStandardCheckValue()
    {
        const char* text = "123456789";
        QCOMPARE(nesy_crc32(reinterpret_cast<const std::uint8_t*>(text), 9), 0xCBF43926u);
        std::uint32_t split = nesy_crc32_update(nesy_crc32(reinterpret_cast<const std::uint8_t*>(text), 4),
                                                reinterpret_cast<const std::uint8_t*>(text) + 4, 5);
        QCOMPARE(split, 0xCBF43926u);
    }

    void cobsRoundTripsAndRemovesZeros_data()
    {
        QTest::addColumn<int>("length");
        QTest::addColumn<int>("zeroEvery");
        for (int length : {0, 1, 253, 254, 255, 508, 1034})
            for (int zeroEvery : {0, 1, 7, 300})
                QTest::addRow("len%d-zero%d", length, zeroEvery) << length << zeroEvery;
    }
    void cobsRoundTripsAndRemovesZeros()
    {
        QFETCH(int, length);
        QFETCH(int, zeroEvery);
        Bytes in(static_cast<std::size_t>(length));
        for (int i = 0; i < length; ++i)
            in[static_cast<std::size_t>(i)] = zeroEvery && i % zeroEvery == 0 ? 0 : static_cast<std::uint8_t>(1 + i % 255);
        Bytes enc(NESY_COBS_MAX_ENCODED(in.size()));
        std::size_t n = nesy_cobs_encode(in.data(), in.size(), enc.data(), enc.size());
        QVERIFY(n > 0);
        QVERIFY(std::find(enc.begin(), enc.begin() + static_cast<long>(n), 0) == enc.begin() + static_cast<long>(n));
        Bytes dec(in.size() + 1);
        std::size_t m = nesy_cobs_decode(enc.data(), n, dec.data(), dec.size());
        QCOMPARE(m, in.size());
        QVERIFY(std::equal(in.begin(), in.end(), dec.begin()));
        QCOMPARE(nesy_cobs_encode(in.data(), in.size(), enc.data(), NESY_COBS_MAX_ENCODED(in.size()) - 1), std::size_t(0));
    }

    void everyMessageRoundTripsThroughAnySplit()
    {
        const auto messages = sampleMessages();
        Bytes stream;
        for (const nesy_msg& m : messages) {
            Bytes f = encode(m);
            QVERIFY2(!f.empty(), nesy_msg_type_name(m.type));
            QVERIFY(f.size() <= NESY_MAX_WIRE_FRAME);
            stream.insert(stream.end(), f.begin(), f.end());
        }
        for (std::size_t step : {std::size_t(1), std::size_t(3), std::size_t(64), stream.size()}) {
            nesy_frame_decoder d;
            nesy_frame_decoder_init(&d);
            Collected c;
            for (std::size_t pos = 0; pos < stream.size(); pos += step)
                nesy_frame_decoder_feed(&d, stream.data() + pos, std::min(step, stream.size() - pos), collect, &c);
            QCOMPARE(c.messages.size(), messages.size());
            QCOMPARE(d.stats.bytes_dropped, 0u);
            for (std::size_t i = 0; i < messages.size(); ++i) {
                QCOMPARE(c.messages[i].type, messages[i].type);
                QCOMPARE(c.messages[i].seq, messages[i].seq);
                QVERIFY2(encode(c.messages[i]) == encode(messages[i]), nesy_msg_type_name(messages[i].type));
            }
        }
    }

    void garbageBetweenFramesIsDroppedAndTheStreamResynchronises()
    {
        nesy_msg hello = blank(NESY_MSG_HELLO, 1);
        hello.u.hello = {1, 99};
        Bytes good = encode(hello);
        Bytes stream = {0x13, 0x37, 0xFF, 0x42}; // no delimiter yet: joins the next frame and spoils it
        stream.insert(stream.end(), good.begin(), good.end());
        stream.insert(stream.end(), good.begin(), good.end());
        Bytes noise = {0x00, 0x05, 0x11, 0x00}; // COBS code 5 runs past the delimiter
        stream.insert(stream.end(), noise.begin(), noise.end());
        stream.insert(stream.end(), good.begin(), good.end());
        nesy_frame_decoder d;
        nesy_frame_decoder_init(&d);
        Collected c;
        nesy_frame_decoder_feed(&d, stream.data(), stream.size(), collect, &c);
        QCOMPARE(c.messages.size(), std::size_t(2));
        QCOMPARE(d.stats.frames, 2u);
        QVERIFY(d.stats.cobs_errors + d.stats.crc_errors >= 2);
        QVERIFY(d.stats.bytes_dropped >= good.size());
    }

    void corruptedCrcIsCounted()
    {
        nesy_msg m = blank(NESY_MSG_RESET, 5);
        Bytes raw = rawFrame(NESY_PROTOCOL_VERSION, NESY_MSG_RESET, 5, 0, {});
        raw[1] ^= 0x01; // a flipped bit after the checksum was computed
        Bytes stream = stuff(raw);
        Bytes good = encode(m);
        stream.insert(stream.end(), good.begin(), good.end());
        nesy_frame_decoder d;
        nesy_frame_decoder_init(&d);
        Collected c;
        nesy_frame_decoder_feed(&d, stream.data(), stream.size(), collect, &c);
        QCOMPARE(d.stats.crc_errors, 1u);
        QCOMPARE(c.messages.size(), std::size_t(1));
    }

    void truncatedFramesAreCounted()
    {
        Bytes shortRaw = {1, 2, 3}; // shorter than header + crc
        Bytes lying = rawFrame(NESY_PROTOCOL_VERSION, NESY_MSG_HELLO, 1, 5, {1, 2}); // declares 5, carries 2
        Bytes stream = stuff(shortRaw);
        Bytes l = stuff(lying);
        stream.insert(stream.end(), l.begin(), l.end());
        nesy_frame_decoder d;
        nesy_frame_decoder_init(&d);
        Collected c;
        nesy_frame_decoder_feed(&d, stream.data(), stream.size(), collect, &c);
        QCOMPARE(d.stats.truncated, 2u);
        QCOMPARE(d.stats.frames, 0u);
    }

    void oversizedFramesAreCountedAndDoNotOverflow()
    {
        Bytes flood(5000, 0x7A); // no delimiter for far longer than the longest legal frame
        flood.push_back(0);
        Bytes trailing = rawFrame(NESY_PROTOCOL_VERSION, NESY_MSG_RESET, 1, 0, {1, 2, 3}); // body beyond its length
        Bytes big = rawFrame(NESY_PROTOCOL_VERSION, NESY_MSG_DEPLOY_CHUNK, 1, 2000, {}); // declares > NESY_MAX_BODY
        Bytes stream = flood;
        for (const Bytes& raw : {trailing, big}) {
            Bytes s = stuff(raw);
            stream.insert(stream.end(), s.begin(), s.end());
        }
        nesy_msg ok = blank(NESY_MSG_RESET, 2);
        Bytes good = encode(ok);
        stream.insert(stream.end(), good.begin(), good.end());
        nesy_frame_decoder d;
        nesy_frame_decoder_init(&d);
        Collected c;
        nesy_frame_decoder_feed(&d, stream.data(), stream.size(), collect, &c);
        QCOMPARE(d.stats.oversized, 3u);
        QCOMPARE(c.messages.size(), std::size_t(1));
        QCOMPARE(int(c.messages[0].seq), 2);
        // The encoder refuses a body over the limit.
        Bytes body(NESY_MAX_BODY + 1, 1);
        Bytes out(NESY_MAX_WIRE_FRAME + 16);
        QCOMPARE(nesy_frame_encode(NESY_MSG_DEPLOY_CHUNK, 1, body.data(), static_cast<std::uint16_t>(body.size()), out.data(), out.size()),
                 std::size_t(0));
    }

    void anotherProtocolVersionIsCounted()
    {
        Bytes s = stuff(rawFrame(NESY_PROTOCOL_VERSION + 1, NESY_MSG_RESET, 1, 0, {}));
        nesy_frame_decoder d;
        nesy_frame_decoder_init(&d);
        Collected c;
        nesy_frame_decoder_feed(&d, s.data(), s.size(), collect, &c);
        QCOMPARE(d.stats.bad_version, 1u);
        QCOMPARE(d.stats.frames, 0u);
    }

    void unknownTypesAndBadBodiesAreRejected_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        auto b = [](std::initializer_list<int> v) { QByteArray a; for (int x : v) a.append(static_cast<char>(x)); return a; };
        QTest::newRow("unknown type") << 0x42 << QByteArray() << int(NESY_DECODE_UNKNOWN_TYPE);
        QTest::newRow("hello too short") << int(NESY_MSG_HELLO) << b({1, 2}) << int(NESY_DECODE_BAD_LENGTH);
        QTest::newRow("hello too long") << int(NESY_MSG_HELLO) << b({1, 2, 3, 4, 5, 6}) << int(NESY_DECODE_BAD_LENGTH);
        QTest::newRow("reset with body") << int(NESY_MSG_RESET) << b({0}) << int(NESY_DECODE_BAD_LENGTH);
        QTest::newRow("empty chunk") << int(NESY_MSG_DEPLOY_CHUNK) << b({0, 0, 0, 0}) << int(NESY_DECODE_BAD_LENGTH);
        QTest::newRow("run count 0") << int(NESY_MSG_RUN) << b({0, 0, 0, 0, 0, 0, 0}) << int(NESY_DECODE_BAD_FIELD);
        QTest::newRow("run too many inputs") << int(NESY_MSG_RUN) << b({1, 0, 0, 0, 0, 0xFF, 0}) << int(NESY_DECODE_BAD_FIELD);
        QTest::newRow("run inputs missing") << int(NESY_MSG_RUN) << b({1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0}) << int(NESY_DECODE_BAD_LENGTH);
        QTest::newRow("vectors with inputs") << int(NESY_MSG_RUN) << b({1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0}) << int(NESY_DECODE_BAD_FIELD);
        QTest::newRow("telemetry period too fast") << int(NESY_MSG_TELEMETRY_CONFIG) << b({10, 0, 0, 0}) << int(NESY_DECODE_BAD_FIELD);
        QTest::newRow("ack bad status") << int(NESY_MSG_ACK) << b({2, 9, 0, 0, 0, 0}) << int(NESY_DECODE_BAD_FIELD);
        QTest::newRow("fault text with control byte") << int(NESY_MSG_FAULT) << b({1, 0, 2, 'a', 7}) << int(NESY_DECODE_BAD_FIELD);
        QTest::newRow("fault text runs past end") << int(NESY_MSG_FAULT) << b({1, 0, 9, 'a'}) << int(NESY_DECODE_BAD_LENGTH);
        QTest::newRow("fault unknown code") << int(NESY_MSG_FAULT) << b({77, 0, 0}) << int(NESY_DECODE_BAD_FIELD);
        QTest::newRow("telemetry bad state") << int(NESY_MSG_TELEMETRY)
                                             << b({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}) << int(NESY_DECODE_BAD_FIELD);
    }
    void unknownTypesAndBadBodiesAreRejected()
    {
        QFETCH(int, type);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        Bytes b(body.begin(), body.end());
        Bytes f = frame(static_cast<std::uint8_t>(type), 3, b);
        nesy_frame_decoder d;
        nesy_frame_decoder_init(&d);
        Collected c;
        nesy_frame_decoder_feed(&d, f.data(), f.size(), collect, &c);
        QCOMPARE(d.stats.frames, 1u); // well framed ...
        QCOMPARE(c.undecodable, 1);   // ... but refused by the message layer
        nesy_frame fr{NESY_PROTOCOL_VERSION, static_cast<std::uint8_t>(type), 3, static_cast<std::uint16_t>(b.size()), b.data()};
        nesy_msg m;
        QCOMPARE(nesy_msg_decode(&fr, &m), status);
    }

    void encoderRefusesFieldsBeyondLimits()
    {
        nesy_msg m = blank(NESY_MSG_RUN);
        m.u.run.count = 1;
        m.u.run.n_inputs = NESY_MAX_RUN_INPUTS + 1;
        Bytes out(NESY_MAX_WIRE_FRAME);
        QCOMPARE(nesy_msg_encode(&m, out.data(), out.size()), std::size_t(0));
        m = blank(NESY_MSG_DEPLOY_CHUNK);
        m.u.deploy_chunk.length = 0;
        QCOMPARE(nesy_msg_encode(&m, out.data(), out.size()), std::size_t(0));
        m = blank(0x55);
        QCOMPARE(nesy_msg_encode(&m, out.data(), out.size()), std::size_t(0));
    }
};

QTEST_APPLESS_MAIN(TestDevicesProtocol)
#include "test_devices_protocol.moc"
