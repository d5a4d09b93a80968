//! Opening a Modbus client connection for a hub: Modbus TCP, RTU framing over a TCP stream
//! (transparent gateways), or RTU on a serial port. Every step that can hang runs under the
//! hub's timeout, because a silent TCP connect can otherwise take minutes. The caller owns
//! the returned `Context` and drops it after any error.

use std::io;
use std::time::Duration;

use tokio::net::{TcpSocket, TcpStream};
use tokio::time::timeout;
use tokio_modbus::Slave;
use tokio_modbus::client::{Context, rtu, tcp};

use crate::config::{Parity, SerialSettings, Transport};

/// Opens the connection; the unit id is set per request later with `set_slave`.
pub(super) async fn open(transport: &Transport, limit: Duration) -> io::Result<Context> {
    match transport {
        Transport::Tcp { host, port } => {
            let stream = connect_tcp(host, *port, limit).await?;
            Ok(tcp::attach_slave(stream, Slave(1)))
        }
        Transport::RtuOverTcp { host, port } => {
            let stream = connect_tcp(host, *port, limit).await?;
            Ok(rtu::attach_slave(stream, Slave(1)))
        }
        Transport::Serial(settings) => {
            let port = open_serial(settings)?;
            Ok(rtu::attach_slave(port, Slave(1)))
        }
    }
}

async fn connect_tcp(host: &str, port: u16, limit: Duration) -> io::Result<TcpStream> {
    let connect = async {
        let mut last_error = io::Error::new(io::ErrorKind::NotFound, "host has no address");
        for addr in tokio::net::lookup_host((host, port)).await? {
            let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
            // Keepalive notices a gateway that vanished without closing the connection.
            socket.set_keepalive(true)?;
            match socket.connect(addr).await {
                Ok(stream) => {
                    stream.set_nodelay(true)?;
                    return Ok(stream);
                }
                Err(e) => last_error = e,
            }
        }
        Err(last_error)
    };
    timeout(limit, connect).await.map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "connect timed out"))?
}

fn open_serial(settings: &SerialSettings) -> io::Result<tokio_serial::SerialStream> {
    let parity = match settings.parity {
        Parity::None => tokio_serial::Parity::None,
        Parity::Even => tokio_serial::Parity::Even,
        Parity::Odd => tokio_serial::Parity::Odd,
    };
    let stop_bits = if settings.stopbits == 2 { tokio_serial::StopBits::Two } else { tokio_serial::StopBits::One };
    let data_bits = match settings.bytesize {
        5 => tokio_serial::DataBits::Five,
        6 => tokio_serial::DataBits::Six,
        7 => tokio_serial::DataBits::Seven,
        _ => tokio_serial::DataBits::Eight,
    };
    let builder = tokio_serial::new(settings.port.as_str(), settings.baudrate)
        .parity(parity)
        .stop_bits(stop_bits)
        .data_bits(data_bits);
    tokio_serial::SerialStream::open(&builder).map_err(io::Error::other)
}
