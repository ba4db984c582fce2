namespace CrampSense.Sensors.Simulated;

/// <summary>
/// An InvenSense MPU-9250 at the I2C wire: the MPU-6050 accelerometer/gyroscope register map (shared, see
/// <see cref="SimulatedMpu6050"/>) with WHO_AM_I 0x71 (RM-MPU-9250A-00 rev 1.6, register 117), plus the AK8963
/// magnetometer behind the chip's auxiliary I2C master, which is how the Iot.Device.Bindings Mpu9250 class
/// reaches it: USER_CTRL.I2C_MST_EN, then per AK8963 register I2C_SLV0_ADDR (bit 7 = read), I2C_SLV0_REG,
/// I2C_SLV0_DO (writes), I2C_SLV0_CTRL (bit 7 EN, bits 3:0 length), and the read bytes appear from
/// EXT_SENS_DATA_00 (RM-MPU-9250A-00 pp. 28–31, 39, 46).
/// </summary>
/// <remarks>
/// Simplification: the real master runs the slave-0 transaction once per sample period while EN is set; the
/// fake runs it once, when I2C_SLV0_CTRL is written with EN (the binding waits ~200 µs before it reads
/// EXT_SENS_DATA, which a real transaction fits in). A magnetometer that does not acknowledge sets
/// I2C_MST_STATUS.I2C_SLV0_NACK and leaves EXT_SENS_DATA unchanged, as the real master does (p. 35).
/// The master is idle unless I2C_MST_EN is set and the chip is awake.
/// </remarks>
public sealed class SimulatedMpu9250 : SimulatedMpu6050
{
    public const byte I2cSlave0Address = 0x25;
    public const byte I2cSlave0Register = 0x26;
    public const byte I2cSlave0Control = 0x27;
    public const byte I2cMasterStatus = 0x36;
    public const byte ExternalSensorData00 = 0x49;
    public const byte I2cSlave0DataOut = 0x63;

    private const byte I2cMasterEnable = 0x20;   // USER_CTRL bit 5 (p. 40)
    private const byte Slave0Nack = 0x01;        // I2C_MST_STATUS bit 0

    /// <summary>FIFO size of the MPU-9250: 512 bytes (PS-MPU-9250A-01 rev 1.1, §4.17 "FIFO").</summary>
    public const int FifoBytes = 512;

    public SimulatedMpu9250(int busId = 1, int address = 0x68, SimulatedAk8963? magnetometer = null, TimeProvider? timeProvider = null)
        : base(busId, address, timeProvider, FifoBytes)
    {
        WhoAmI = 0x71;
        Magnetometer = magnetometer ?? new SimulatedAk8963(busId);
    }

    /// <summary>The AK8963 die behind the auxiliary I2C master (set its <see cref="SimulatedI2cChip.Present"/> to false for a dead magnetometer).</summary>
    public SimulatedAk8963 Magnetometer { get; }

    /// <summary>Slave-0 transactions the I2C master ran (acknowledged or not).</summary>
    public int MasterTransactions { get; private set; }

    protected override void WriteRegister(byte address, byte value)
    {
        switch (address)
        {
            case I2cSlave0Control:
                StoreRegister(I2cSlave0Control, value);
                if ((value & 0x80) != 0 && (this[UserControl] & I2cMasterEnable) != 0 && !Sleeping)
                {
                    RunSlave0Transaction(value & 0x0F);
                }

                break;
            default:
                base.WriteRegister(address, value);
                break;
        }
    }

    private void RunSlave0Transaction(int length)
    {
        MasterTransactions++;
        var target = this[I2cSlave0Address];
        var register = this[I2cSlave0Register];
        var acknowledged = false;
        if ((target & 0x7F) == Magnetometer.ConnectionSettings.DeviceAddress)
        {
            if ((target & 0x80) != 0)
            {
                Span<byte> data = stackalloc byte[Math.Min(length, 24)];
                acknowledged = Magnetometer.TryMasterRead(register, data);
                if (acknowledged)
                {
                    for (var i = 0; i < data.Length; i++)
                    {
                        StoreRegister((byte)(ExternalSensorData00 + i), data[i]);
                    }
                }
            }
            else
            {
                acknowledged = Magnetometer.TryMasterWrite(register, this[I2cSlave0DataOut]);
            }
        }

        var status = this[I2cMasterStatus];
        StoreRegister(I2cMasterStatus, acknowledged ? (byte)(status & ~Slave0Nack) : (byte)(status | Slave0Nack));
    }
}
